// Rows: docker build (issue #16; book ch.11 §11.2.3, §11.4). A 10-step
// Dockerfile goes through the build job of a daemon inside this process,
// on the linux backend (root) and on the fake: cold (nocache, every step
// creates a container, RUN runs, each is committed) and fully cached
// (every step a probeCache hit). The cached build is compared with the
// images job (`docker images`) on the same daemon: both walk the graph,
// and the cache should cost little more than a listing.
package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/backend/fake"
)

// buildDockerfile has 10 steps: FROM and nine more, three of them RUN.
const buildDockerfile = `FROM busybox
ENV GREETING hello
RUN echo $GREETING > /greeting
ADD file.txt /app/
COPY file.txt /app/copy.txt
RUN cat /app/file.txt /greeting
WORKDIR /app
EXPOSE 8080
RUN ls /app
CMD ["cat", "/app/file.txt"]
`

func buildRows(cfg config) []row {
	var rows []row
	for _, backendName := range []string{"linux", "fake"} {
		backendName := backendName
		group := "docker build: 10 steps through the build job, " + backendName
		imagesRef := "images job (docker images), " + backendName
		var d *jobsDaemon // one daemon for the group's three rows
		prepare := func() (*jobsDaemon, error) {
			if d != nil {
				return d, nil
			}
			var err error
			if backendName == "linux" {
				h, destroy, herr := throwawayLinuxHost()
				if herr != nil {
					return nil, herr
				}
				d, err = newInProcessDaemon(h, destroy)
			} else {
				k := fake.New()
				d, err = newInProcessDaemon(k, func() { k.Close() })
			}
			if err != nil {
				d = nil
				return nil, err
			}
			fail := func(err error) (*jobsDaemon, error) {
				d.close()
				d = nil
				return nil, err
			}
			if err := d.importBusybox(cfg.Image); err != nil {
				return fail(fmt.Errorf("import of the busybox image: %w", err))
			}
			// One build with the cache on, so the cached row finds every step
			// (a nocache build does not put ADD's content sum into the step's
			// command, as in 1.2, so its ADD layers are never found again).
			if err := d.build(false, false); err != nil {
				return fail(err)
			}
			return d, nil
		}
		skip := func() string {
			if _, err := os.Stat(cfg.Image); err != nil {
				return fmt.Sprintf("no busybox image at %s: make images", cfg.Image)
			}
			if backendName == "linux" {
				return needRootLinux()
			}
			return ""
		}
		// rowFor makes a row of the group; the last one stops the daemon
		// when it is done, so it does not share the machine with later rows.
		rowFor := func(name, ref string, last bool, run func(*jobsDaemon) error) row {
			return row{
				Group:     group,
				Name:      name,
				Reference: ref,
				Skip:      skip,
				Prepare: func() (func() error, func(), error) {
					d, err := prepare()
					if err != nil {
						return nil, nil, err
					}
					var cleanup func()
					if last {
						cleanup = d.close
					}
					return func() error { return run(d) }, cleanup, nil
				},
			}
		}
		images := rowFor(imagesRef, "", false, func(d *jobsDaemon) error { return d.images() })
		images.Key = "images " + backendName
		cached := rowFor("10-step build, every step from the cache, "+backendName, imagesRef, false, func(d *jobsDaemon) error { return d.build(false, true) })
		cached.Target = "≤ 4x images (the graph is read once a build)"
		cached.Max = 4
		cold := rowFor("10-step build, cold (nocache): 9 containers, 3 RUNs, 9 commits, "+backendName, imagesRef, true, func(d *jobsDaemon) error { return d.build(true, false) })
		rows = append(rows, images, cached, cold)
	}
	return rows
}

// buildContext is the build's context: the Dockerfile and file.txt.
func buildContext() []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range [][2]string{{"Dockerfile", buildDockerfile}, {"file.txt", "a file of the context\n"}} {
		tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), ModTime: time.Unix(1400000000, 0)})
		tw.Write([]byte(f[1]))
	}
	tw.Close()
	return buf.Bytes()
}

// build runs the build job on the context (rm on, as the CLI asks);
// allCached insists that every step came from the cache.
func (d *jobsDaemon) build(nocache, allCached bool) error {
	var out bytes.Buffer
	job := d.eng.Job("build")
	job.Setenv("t", "bench")
	job.Setenv("rm", "1")
	job.SetenvBool("json", true)
	job.SetenvBool("nocache", nocache)
	job.Stdin.Add(bytes.NewReader(buildContext()))
	job.Stdout.Add(&out)
	if err := job.Run(); err != nil {
		return fmt.Errorf("build: %w: %s", err, out.String())
	}
	if allCached && strings.Count(out.String(), "Using cache") != 9 {
		return fmt.Errorf("a cached build that did not take every step from the cache: %s", out.String())
	}
	return nil
}

// images runs the images job, as `docker images` asks for it.
func (d *jobsDaemon) images() error {
	var out bytes.Buffer
	job := d.eng.Job("images")
	job.Stdout.Add(&out)
	return job.Run()
}
