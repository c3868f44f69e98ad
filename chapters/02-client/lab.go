package chapter02

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 2's exercise manifest: `dockerlab lab list --chapter ch02`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch02",
	Dir:   "chapters/02-client",
	Title: lab.Text{Zh: "Docker Client创建与命令执行", En: "Creating the Docker Client and running a command"},
	Files: labFiles,
	Exercises: []lab.Exercise{
		{
			ID:         "ch02.validate-host",
			Book:       "§2.2",
			Notes:      `004 "處理 flag 資訊並收集 Docker Client 的配置資訊"`,
			Title:      lab.Text{Zh: "ValidateHost：把 -H 的值变成 PROTO://ADDR", En: "ValidateHost: a -H value becomes PROTO://ADDR"},
			Difficulty: 2,
			Backend:    lab.Fake,
		},
	},
}
