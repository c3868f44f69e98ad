package chapter09

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 9's exercise manifest: `dockerlab lab list --chapter ch09`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch09",
	Dir:   "chapters/09-pull",
	Title: lab.Text{Zh: "Docker镜像下载", En: "Downloading images"},
	Files: labFiles,
	Exercises: []lab.Exercise{{
		ID:         "ch09.pull-image",
		Book:       "§9.5.3",
		Title:      lab.Text{Zh: "pullImage：先取 ancestry，再从最底层起逐层下载并注册", En: "pullImage: the ancestry first, then each layer from the base up"},
		Difficulty: 2,
		Backend:    lab.Fake,
	}, {
		ID:         "ch09.pull-pool",
		Book:       "§9.5.1",
		Title:      lab.Text{Zh: "pull 的 pool：同一镜像的第二次下载等待第一次", En: "The pull pool: a second pull of the same image waits for the first"},
		Difficulty: 3,
		Backend:    lab.Fake,
	}},
}
