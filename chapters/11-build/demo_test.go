package chapter11

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{
	`Step 3 : RUN mkdir /app &&     echo "$GREETING from RUN" > /app/greeting  →  (*buildFile).CmdRun(`,
	`Step 2 : ENV GREETING hello  →  (*buildFile).CmdEnv("GREETING hello")`,
	"client │ [trace] 11.2.1 context: ",
	"client │ [trace] 11.2.1 POST /build?rm=1&t=ch11",
	"client │ Sending build context to Docker daemon",
	"daemon │ [info] POST /v1.14/build?rm=1&t=ch11",
	"daemon │ [",
	"+job build()",
	"client │ Step 0 : FROM busybox",
	"client │ Step 3 : RUN mkdir /app &&     echo \"$GREETING from RUN\" > /app/greeting",
	"client │  ---> Running in ",
	"client │ Removing intermediate container ",
	"client │ Successfully built ",
	"/bin/sh -c #(nop) ENV GREETING=hello",
	"client │ hello from RUN",
	"client │ a note ADDed from the context",
	"client │  ---> Using cache",
	"client │ about to fail",
	"The command [/bin/sh -c echo about to fail; exit 3] returned a non-zero code: 3 (exit status 1)",
	"ip link del docker0",
}
