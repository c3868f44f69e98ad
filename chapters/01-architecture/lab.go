package chapter01

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 1's exercise manifest: `dockerlab lab list --chapter ch01`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch01",
	Dir:   "chapters/01-architecture",
	Title: lab.Text{Zh: "Docker架构", En: "Docker's architecture"},
	Files: labFiles,
	Exercises: []lab.Exercise{{
		ID:         "ch01.pull-request",
		Book:       "§1.4.1",
		Notes:      `004 "docker 總架構圖"`,
		Title:      lab.Text{Zh: "docker pull 的路径：Client 发出请求，Server 把它变成 Job pull", En: "The path of docker pull: the client's request becomes the server's job pull"},
		Difficulty: 2,
		Backend:    lab.Fake,
	}},
}
