// POST /build through the router: the query and headers as the build
// job's env, the body as its stdin, the answer a JSON stream, and the
// requests of today's clients.
package server

import (
	"encoding/base64"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

func TestPostBuildEnv(t *testing.T) {
	f := newFakeJobs(t)
	var stdin string
	f.answers["build"] = func(job *engine.Job) engine.Status {
		b, _ := io.ReadAll(job.Stdin)
		stdin = string(b)
		job.Stdout.Write([]byte(`{"stream":"Successfully built 0123456789ab\n"}` + "\r\n"))
		return engine.StatusOK
	}
	cfg := base64.URLEncoding.EncodeToString([]byte(`{"configs":{"localhost:5000":{"username":"u","password":"p"}}}`))

	// docker CLI 28 after negotiating 1.14: extra parameters, no rm.
	w := f.do("POST", "/v1.14/build?dockerfile=Dockerfile&t=a%3A1&t=b&version=1&pull=1", "THE CONTEXT", "X-Registry-Config", cfg, "Content-Type", "application/x-tar")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Contains(t, w.Body.String(), "Successfully built 0123456789ab")
	env := f.last("build").env
	assert.Equal(t, "THE CONTEXT", stdin)
	assert.Equal(t, "a:1", env["t"], "the first t")
	assert.Equal(t, "1", env["rm"], "no rm from 1.12 on means rm")
	assert.Equal(t, "1", env["json"])
	assert.JSONEq(t, `{"configs":{"localhost:5000":{"username":"u","password":"p","auth":"","email":""}}}`, env["configFile"])

	// docker-py 7: booleans as words, rm=False kept as it is.
	f.do("POST", "/v1.24/build?t=py&q=False&nocache=False&rm=False&forcerm=False&pull=False", "")
	env = f.last("build").env
	assert.Equal(t, "False", env["rm"])
	assert.Equal(t, "False", env["q"])

	// forcerm implies rm.
	f.do("POST", "/v1.14/build?rm=0&forcerm=1", "")
	assert.Equal(t, "1", f.last("build").env["rm"])

	// Before 1.12 the rm given (none: none).
	f.do("POST", "/v1.11/build", "")
	assert.Equal(t, "", f.last("build").env["rm"])
}

func TestPostBuildRefusals(t *testing.T) {
	f := newFakeJobs(t)
	w := f.do("POST", "/v1.2/build", "")
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, w.Body.String(), "Multipart upload for build is no longer supported")

	w = f.do("POST", "/v1.24/build?dockerfile=other.Dockerfile", "")
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), "dockerfile=other.Dockerfile: Docker 1.2 always builds the file named Dockerfile")
	assert.Nil(t, f.last("build"), "the job never ran")

	// An error after the stream started is the stream's last message.
	f.answers["build"] = func(job *engine.Job) engine.Status {
		job.Stdout.Write([]byte(`{"stream":"Step 0 : FROM busybox\n"}` + "\r\n"))
		return job.Errorf("The command [/bin/sh -c false] returned a non-zero code: 1")
	}
	w = f.do("POST", "/v1.14/build", "")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), `"errorDetail":{"message":"The command [/bin/sh -c false] returned a non-zero code: 1"}`)
}
