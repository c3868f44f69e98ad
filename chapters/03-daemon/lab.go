package chapter03

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 3's exercise manifest: `dockerlab lab list --chapter ch03`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch03",
	Dir:   "chapters/03-daemon",
	Title: lab.Text{Zh: "启动Docker Daemon", En: "Starting the Docker Daemon"},
	Files: labFiles,
	Exercises: []lab.Exercise{{
		ID:         "ch03.job-run",
		Book:       "§3.3",
		Notes:      `004 "Job"`,
		Title:      lab.Text{Zh: "engine.Job 的 Run：像进程一样运行一个 Job", En: "engine.Job's Run: run a job the way a process runs"},
		Difficulty: 2,
		Backend:    lab.Fake,
	}, {
		ID:         "ch03.env-json",
		Book:       "§3.3",
		Title:      lab.Text{Zh: "engine.Env 的 JSON 编码：Encode 与 SetAuto", En: "engine.Env as JSON: Encode and SetAuto"},
		Difficulty: 2,
		Backend:    lab.Fake,
	}},
}
