package chapter14

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 14's exercise manifest: `dockerlab lab list --chapter ch14`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch14",
	Dir:   "chapters/14-libcontainer",
	Title: lab.Text{Zh: "libcontainer介绍", En: "libcontainer"},
	Files: labFiles,
	Exercises: []lab.Exercise{{
		ID:         "ch14.cgroups-apply",
		Book:       "§14.3",
		Notes:      `003 "控制组"`,
		Title:      lab.Text{Zh: "cgroups.Apply：建 cgroup 并写入限制", En: "cgroups.Apply: make the cgroup and write its limits"},
		Difficulty: 1,
		Backend:    lab.Both,
	}, {
		ID:         "ch14.pivot-root",
		Book:       "§14.3",
		Notes:      `003 "挂载点"`,
		Title:      lab.Text{Zh: "pivot_root：让 rootfs 成为 /，放开主机的根", En: "pivot_root: make the rootfs /, and let go of the machine's root"},
		Difficulty: 3,
		Backend:    lab.Linux,
	}, {
		ID:         "ch14.memory-limit",
		Book:       "§14.3",
		Notes:      `003 "控制组"`,
		Title:      lab.Text{Zh: "-m 的内存限制写进 cgroup（v1 与 v2）", En: "The -m memory limit written into the cgroup (v1 and v2)"},
		Difficulty: 2,
		Backend:    lab.Linux,
	}},
}
