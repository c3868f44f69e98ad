package chapter12

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 12's exercise manifest: `dockerlab lab list --chapter ch12`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch12",
	Dir:   "chapters/12-create",
	Title: lab.Text{Zh: "Docker容器创建", En: "Creating a container"},
	Files: labFiles,
	Exercises: []lab.Exercise{{
		ID:         "ch12.create-rootfs",
		Book:       "§12.3",
		Notes:      `001 "容器的创建"`,
		Title:      lab.Text{Zh: "createRootfs：init 层与容器层", En: "createRootfs: the init layer and the container's layer"},
		Difficulty: 2,
		Backend:    lab.Fake,
	}, {
		ID:         "ch12.container-dns",
		Book:       "§12.4",
		Notes:      `001 "容器的创建"`,
		Title:      lab.Text{Zh: "setupContainerDns：启动的第一步，容器的 resolv.conf", En: "setupContainerDns: start's first step, the container's resolv.conf"},
		Difficulty: 2,
		Backend:    lab.Fake,
	}, {
		ID:         "ch12.daemon-env",
		Book:       "§12.4",
		Title:      lab.Text{Zh: "createDaemonEnvironment：容器进程的环境变量", En: "createDaemonEnvironment: the environment of the container's process"},
		Difficulty: 1,
		Backend:    lab.Fake,
	}},
}
