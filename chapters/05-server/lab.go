package chapter05

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 5's exercise manifest: `dockerlab lab list --chapter ch05`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch05",
	Dir:   "chapters/05-server",
	Title: lab.Text{Zh: "Docker Server的创建", En: "Creating the Docker Server"},
	Files: labFiles,
	Exercises: []lab.Exercise{
		{
			ID:         "ch05.serve-api",
			Book:       "§5.3",
			Notes:      `000 "Docker Server"`,
			Title:      lab.Text{Zh: "ServeApi：每个 -H 地址一个 goroutine", En: "ServeApi: one goroutine per -H address"},
			Difficulty: 2,
			Backend:    lab.Fake,
		},
	},
}
