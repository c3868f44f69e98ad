package chapter02

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{
	`client │ [trace] 2.2   host unix://`,
	`client │ [trace] 2.2   NewDockerCli(stdin, stdout, stderr, "unix", `,
	`client │ [trace] 2.3   getMethod("version") → CmdVersion, called with []`,
	"client │ [trace] 2.3   → GET /v1.14/version (User-Agent: Docker-Client/1.2.0)",
	"daemon │ [info] GET /v1.14/version",
	"+job version()",
	"client │ Server API version: 1.14",
	"client │ [trace] 2.3   → POST /v1.14/images/create?fromSrc=-&repo=ch2",
	"+job import(-, ch2, )",
	"($DOCKER_HOST)",
	"client │ ch2                 latest",
	"client │ Error response from daemon: No such image: nosuchimage",
	"client │ Usage: docker tag [OPTIONS] IMAGE[:TAG]",
	"client │ → exit status 2",
	"client │ → Error: failed to remove one or more images (exit status 1)",
	"ip link del docker0",
}
