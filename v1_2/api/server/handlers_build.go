// POST /build: the request body is the build context; the "build" job
// streams its progress back as JSON messages.
//
// Upstream: api/server/server.go at v1.2.0 (postBuild).
// Book: ch.11 §11.2.2 Docker Server与docker build (the handler turns the
// query into the job's env, gives it the body as stdin and streams its
// stdout).
//
// What today's clients send beyond 1.2's parameters is ignored, as 1.2
// ignored any parameter it did not know (docker CLI 28: dockerfile,
// version, pull, a repeated t of which the first counts; docker-py 7:
// rm=False and the other booleans as "True"/"False", which Env.GetBool
// reads). Divergences (docs/divergences.md "docker build"): a dockerfile
// parameter naming another file than Dockerfile is refused rather than
// silently building the wrong file, and the job learns when the client
// goes away (engine.Job.SetDone), which stops the build.
package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/version"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

func postBuild(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if version.LessThan("1.3") {
		return fmt.Errorf("Multipart upload for build is no longer supported. Please upgrade your docker client.")
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if df := r.FormValue("dockerfile"); df != "" && strings.TrimPrefix(df, "./") != "Dockerfile" {
		return fmt.Errorf("Bad parameter: dockerfile=%s: Docker 1.2 always builds the file named Dockerfile at the root of the context (-f and the dockerfile parameter came in Docker 1.5); rename the file to Dockerfile", df)
	}
	var (
		authConfig = &registry.AuthConfig{}
		configFile = registryConfig(r)
		job        = eng.Job("build")
	)
	// X-Registry-Auth is read only from clients older than 1.9, which
	// sent nothing else.
	if version.LessThan("1.9") {
		authConfig = registryAuth(r)
	}

	// rm: forcerm implies it, and from 1.12 on a client that says nothing
	// gets it (docker CLI 28 sends rm only as rm=0; docker-py always sends
	// rm, False unless asked).
	switch {
	case r.FormValue("forcerm") == "1" && version.GreaterThanOrEqualTo("1.12"):
		job.Setenv("rm", "1")
	case r.FormValue("rm") == "" && version.GreaterThanOrEqualTo("1.12"):
		job.Setenv("rm", "1")
	default:
		job.Setenv("rm", r.FormValue("rm"))
	}
	job.Stdin.Add(r.Body)
	job.Setenv("remote", r.FormValue("remote"))
	job.Setenv("t", r.FormValue("t"))
	job.Setenv("q", r.FormValue("q"))
	job.Setenv("nocache", r.FormValue("nocache"))
	job.Setenv("forcerm", r.FormValue("forcerm"))
	job.SetenvJson("authConfig", authConfig)
	job.SetenvJson("configFile", configFile)
	job.SetDone(r.Context().Done())

	if version.GreaterThanOrEqualTo("1.8") {
		job.SetenvBool("json", true)
		return streamJob(job, w)
	}
	// Before 1.8 the answer was plain text, an error its last line.
	out := &usedWriter{writeFlusher: newWriteFlusher(w)}
	job.Stdout.Add(out)
	if err := job.Run(); err != nil {
		if !out.used {
			return err
		}
		fmt.Fprintf(out, "Error: %s\r\n", err)
	}
	return nil
}
