package chapter08

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 8's exercise manifest: `dockerlab lab list --chapter ch08`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch08",
	Dir:   "chapters/08-images",
	Title: lab.Text{Zh: "Docker镜像", En: "Images"},
	Files: labFiles,
	Exercises: []lab.Exercise{
		{
			ID:         "ch08.vfs-create",
			Book:       "ch.8",
			Notes:      `003 "存储驱动"`,
			Title:      lab.Text{Zh: "vfs 的 Create：没有联合挂载时，子层是父层的完整拷贝", En: "vfs Create: without a union mount, a child layer is a full copy of its parent"},
			Difficulty: 2,
			Backend:    lab.Fake,
		},
	},
}
