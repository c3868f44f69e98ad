package chapter07

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 7's exercise manifest: `dockerlab lab list --chapter ch07`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch07",
	Dir:   "chapters/07-network",
	Title: lab.Text{Zh: "Docker容器网络", En: "Container networking"},
	Files: labFiles,
	Exercises: []lab.Exercise{
		{
			ID:         "ch07.veth-pair",
			Book:       "§7.6",
			Notes:      `000 "bridge桥接模式"`,
			Title:      lab.Text{Zh: "--net=bridge 的 veth pair：一端接 docker0，另一端改名 eth0", En: "--net=bridge's veth pair: one end on docker0, the other renamed eth0"},
			Difficulty: 2,
			Backend:    lab.Both,
		},
		{
			ID:         "ch07.allocate-port",
			Book:       "§7.4",
			Notes:      `000 "外界访问Docker Container内部服务的流程"`,
			Title:      lab.Text{Zh: "allocate_port：DNAT 规则、FORWARD 规则和用户态代理", En: "allocate_port: the DNAT rule, the FORWARD rule and the userland proxy"},
			Difficulty: 3,
			Backend:    lab.Both,
		},
		{
			ID:         "ch07.links",
			Book:       "§7.4",
			Notes:      `000 "注册Handler至Engine"`,
			Title:      lab.Text{Zh: "--link：环境变量和 FORWARD 规则", En: "--link: the environment variables and the FORWARD rules"},
			Difficulty: 3,
			Backend:    lab.Both,
		},
	},
}
