package v01demo

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is the prologue's exercise manifest: `dockerlab lab list --chapter
// ch00` (docs/teaching.md, "Authors' guide", says how to add one). The
// book has no chapter on Docker 0.1.0, so Book names the upstream file.
var Lab = lab.Chapter{
	ID:    "ch00",
	Dir:   "chapters/00-v0.1",
	Title: lab.Text{Zh: "序章：Docker 0.1.0", En: "Prologue: Docker 0.1.0"},
	Files: labFiles,
	Exercises: []lab.Exercise{
		{
			ID:         "ch00.ip-allocator",
			Book:       "v0.1.0 network.go",
			Notes:      `002 "从lxcbr0网桥接口创建网络管理器"`,
			Title:      lab.Text{Zh: "IP 分配器：预先填满的 channel", En: "the IP allocator: a channel filled up front"},
			Difficulty: 2,
			Backend:    lab.Fake,
		},
		{
			ID:         "ch00.rcli-dispatch",
			Book:       "v0.1.0 rcli/types.go",
			Notes:      `002 "command"`,
			Title:      lab.Text{Zh: "rcli：用反射把命令名分发到 Cmd 方法", En: "rcli: dispatch a command name to its Cmd method by reflection"},
			Difficulty: 1,
			Backend:    lab.Fake,
		},
	},
}
