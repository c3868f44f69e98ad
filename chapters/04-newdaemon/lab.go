package chapter04

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 4's exercise manifest: `dockerlab lab list --chapter ch04`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch04",
	Dir:   "chapters/04-newdaemon",
	Title: lab.Text{Zh: "NewDaemon实现", En: "NewDaemon"},
	Files: labFiles,
	Exercises: []lab.Exercise{{
		ID:         "ch04.truncindex-get",
		Book:       "§4.10",
		Notes:      `000 "创建daemon对象"`,
		Title:      lab.Text{Zh: "truncindex：用唯一前缀找到容器 ID", En: "truncindex: a container ID from a unique prefix"},
		Difficulty: 2,
		Backend:    lab.Fake,
	}},
}
