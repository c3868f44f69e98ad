package chapter06

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{"## after run 1", "3: docker0    inet 172.17.42.1/16", "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE", "run 2 changed nothing", "iptables -t nat -X DOCKER"}
