package chapter10

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 10's exercise manifest: `dockerlab lab list --chapter ch10`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch10",
	Dir:   "chapters/10-image-storage",
	Title: lab.Text{Zh: "Docker镜像存储", En: "Image storage"},
	Files: labFiles,
	Exercises: []lab.Exercise{
		{
			ID:         "ch10.graph-register",
			Book:       "§10.2",
			Notes:      `003 "本地的镜像文件存在位置"`,
			Title:      lab.Text{Zh: "Graph.Register：按第 10 章的顺序注册镜像", En: "Graph.Register: registering an image in ch.10's order"},
			Difficulty: 3,
			Backend:    lab.Fake,
		},
		{
			ID:         "ch10.tagstore-set-get",
			Book:       "§4.6",
			Notes:      `002 "repositories"`,
			Title:      lab.Text{Zh: "TagStore 的 Set 和 Get：repositories 文件里的 repo:tag", En: "TagStore Set and Get: repo:tag in the repositories file"},
			Difficulty: 2,
			Backend:    lab.Fake,
		},
	},
}
