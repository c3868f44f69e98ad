package chapter05

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, []string{
		"job serveapi",
		"router   │ POST /containers/create → postContainersCreate",
		"+job create(ch5)",
		"response │ 201 Created  Content-Type: application/json  Api-Version: 1.14",
		"response │ 404 Not Found",
		"No such container: nosuch",
		"client and server don't have same version (client : 1.99, server: 1.14)",
		"router   │ no route: 404 page not found",
		"response │ 204 No Content",
		"Untagged",
	})
}
