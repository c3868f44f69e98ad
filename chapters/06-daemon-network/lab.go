package chapter06

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 6's exercise manifest: `dockerlab lab list --chapter ch06`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch06",
	Dir:   "chapters/06-daemon-network",
	Title: lab.Text{Zh: "Docker Daemon网络", En: "The Docker Daemon's network"},
	Files: labFiles,
	Exercises: []lab.Exercise{
		{
			ID:         "ch06.setup-iptables",
			Book:       "§6.5",
			Notes:      `000 "设置iptables规则"`,
			Title:      lab.Text{Zh: "setupIPTables：docker0 的四条 iptables 规则", En: "setupIPTables: docker0's four iptables rules"},
			Difficulty: 3,
			Backend:    lab.Both,
		},
		{
			ID:         "ch06.request-ip",
			Book:       "§6.5",
			Title:      lab.Text{Zh: "RequestIP：轮转分配容器地址", En: "RequestIP: container addresses, round-robin"},
			Difficulty: 2,
			Backend:    lab.Fake,
		},
		{
			ID:         "ch06.bridge-range",
			Book:       "§6.5",
			Notes:      `000 "创建Docker网络设备"`,
			Title:      lab.Text{Zh: "createBridge：为 docker0 挑一个不冲突的网段", En: "createBridge: a range for docker0 that overlaps nothing"},
			Difficulty: 2,
			Backend:    lab.Both,
		},
	},
}
