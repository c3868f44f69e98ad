// Rows: pulling a 5-layer, 100 MB image (book ch.9) from a registry on
// 127.0.0.1 — over 1.2's v1 protocol from dockerlab's registry, and over
// v2 from Debian's docker-registry — against copying the same bytes on
// loopback with plain HTTP GETs (the protocol's overhead); and the v1
// registry's throughput with 8 clients downloading at once.
package main

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/internal/ocilayout"
	"github.com/dockerlab/dockerlab/internal/v1registry"
	"github.com/dockerlab/dockerlab/internal/v2test"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	_ "github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/vfs" // registers "vfs"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

const (
	pullLayers    = 5
	pullLayerSize = 20 << 20 // 5 × 20 MiB of random bytes: gzip cannot shrink them
	pullClients   = 8
	copyRef       = "copy the 5 layers (100 MB) on loopback: plain HTTP GETs"
	oneClientRef  = "1 client downloads the image (v1: ancestry, json, layer each)"
)

// pullFixture is the image and the registries serving it, made once.
type pullFixture struct {
	once             sync.Once
	err              error
	dir              string
	v1Host, fileHost string   // dockerlab's registry; a plain file server of its storage
	ids              []string // base first
	v2Host           string   // Debian's registry, "" when it is not installed
	v2Skip           string
	stop             []func()
}

var pulls pullFixture

// prepare seeds the image, starts the registries, and (when docker-registry
// and skopeo are installed) copies it into a v2 registry too.
func (p *pullFixture) prepare() error {
	p.once.Do(func() {
		p.dir, p.err = os.MkdirTemp(benchTmp, "bench-pull-")
		if p.err != nil {
			return
		}
		onExit(func() {
			for _, f := range p.stop {
				f()
			}
			os.RemoveAll(p.dir)
		})
		rnd := rand.New(rand.NewSource(1408492800))
		var seeds []v1registry.SeedLayer
		var tars [][]byte
		for i := 0; i < pullLayers; i++ {
			data := make([]byte, pullLayerSize)
			rnd.Read(data)
			tarBytes := oneFileTarBytes(fmt.Sprintf("layer%d.bin", i), data)
			tars = append(tars, tarBytes)
			seeds = append(seeds, v1registry.SeedLayer{Tar: tarBytes, Comment: fmt.Sprintf("ADD layer%d.bin /", i)})
		}
		root := filepath.Join(p.dir, "v1")
		top, err := v1registry.Seed(root, "library/big", "latest", seeds, nil)
		if err != nil {
			p.err = err
			return
		}
		anc, err := v1registry.Storage{Root: root}.Ancestry(top)
		if err != nil {
			p.err = err
			return
		}
		for i := len(anc) - 1; i >= 0; i-- {
			p.ids = append(p.ids, anc[i])
		}
		reg, err := v1registry.New(v1registry.Config{Root: root})
		if err != nil {
			p.err = err
			return
		}
		if p.v1Host, err = serve(reg, &p.stop); err != nil {
			p.err = err
			return
		}
		if p.fileHost, err = serve(http.FileServer(http.Dir(root)), &p.stop); err != nil {
			p.err = err
			return
		}
		p.v2Skip = p.prepareV2(tars)
	})
	return p.err
}

// prepareV2 fills Debian's registry; it answers why not when it cannot.
func (p *pullFixture) prepareV2(tars [][]byte) string {
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		return "Debian's docker-registry is not installed (scripts/deps.sh installs it)"
	}
	skopeo, err := exec.LookPath("skopeo")
	if err != nil {
		return "skopeo is not installed (scripts/deps.sh installs it)"
	}
	layout, err := ocilayout.WriteLayers(filepath.Join(p.dir, "oci"), tars...)
	if err != nil {
		return err.Error()
	}
	regDir := filepath.Join(p.dir, "v2")
	os.MkdirAll(regDir, 0700)
	r, stop, err := v2test.Run(bin, regDir)
	if err != nil {
		return err.Error()
	}
	p.stop = append(p.stop, stop)
	home := filepath.Join(p.dir, "home")
	os.MkdirAll(home, 0700)
	if err := r.SkopeoCopy(skopeo, home, layout.Dir, "latest", "library/big:latest", "--format", "v2s2"); err != nil {
		return err.Error()
	}
	p.v2Host = r.Host
	return ""
}

// serve runs h on 127.0.0.1 at a free port.
func serve(h http.Handler, stops *[]func()) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	*stops = append(*stops, func() { srv.Shutdown(context.Background()) })
	return ln.Addr().String(), nil
}

func oneFileTarBytes(name string, data []byte) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: name, Mode: 0644, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: time.Unix(1408492800, 0)})
	tw.Write(data)
	tw.Close() // writes to a buffer do not fail
	return buf.Bytes()
}

// get fetches url and throws the body away.
func get(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// downloadV1 is one client of the v1 protocol: the image list, the tags,
// the ancestry, and each layer's json and bytes (discarded).
func (p *pullFixture) downloadV1() error {
	ep := "http://" + p.v1Host + "/v1/"
	r, err := registry.NewSession(&registry.AuthConfig{}, nil, ep, true)
	if err != nil {
		return err
	}
	data, err := r.GetRepositoryData("library/big")
	if err != nil {
		return err
	}
	tags, err := r.GetRemoteTags(data.Endpoints, "library/big", data.Tokens)
	if err != nil {
		return err
	}
	history, err := r.GetRemoteHistory(tags["latest"], ep, data.Tokens)
	if err != nil {
		return err
	}
	for _, id := range history {
		if _, _, err := r.GetRemoteImageJSON(id, ep, data.Tokens); err != nil {
			return err
		}
		layer, err := r.GetRemoteImageLayer(id, ep, data.Tokens)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, layer)
		layer.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// pullInto runs the pull job on a fresh vfs graph under dir.
func pullInto(dir, name string) error {
	driver, err := graphdriver.GetDriver("vfs", dir, nil)
	if err != nil {
		return err
	}
	g, err := graph.NewGraph(filepath.Join(dir, "graph"), driver)
	if err != nil {
		return err
	}
	store, err := graph.NewTagStore(filepath.Join(dir, "repositories-vfs"), g)
	if err != nil {
		return err
	}
	eng := engine.New()
	eng.Stdout, eng.Stderr, eng.Logging = io.Discard, io.Discard, false
	if err := store.Install(eng); err != nil {
		return err
	}
	job := eng.Job("pull", name, "latest")
	job.SetenvBool("json", true)
	var out strings.Builder
	job.Stdout.Add(&out)
	if err := job.Run(); err != nil {
		return fmt.Errorf("%v (%s)", err, out.String())
	}
	if _, err := store.LookupImage(name); err != nil {
		return err
	}
	return nil
}

// freshDirs hands out one new directory per run; cleanup removes them all
// (after the measurement: removing 300 MB of layers is not the pull).
func freshDirs(prefix string) (next func() (string, error), cleanup func()) {
	var dirs []string
	next = func() (string, error) {
		d, err := os.MkdirTemp(benchTmp, prefix)
		dirs = append(dirs, d)
		return d, err
	}
	cleanup = func() {
		for _, d := range dirs {
			os.RemoveAll(d)
		}
	}
	return next, cleanup
}

func registryRows() []row {
	const group = "v1.2 pull (book ch.9): a 5-layer, 100 MB image from a registry on 127.0.0.1"
	const tput = "the v1 registry under load (dockerlab registry serve)"
	pullRow := func(name string, v2 bool) row {
		r := row{
			Group:     group,
			Name:      name,
			Reference: copyRef,
			Prepare: func() (func() error, func(), error) {
				if err := pulls.prepare(); err != nil {
					return nil, nil, err
				}
				host := pulls.v1Host
				if v2 {
					host = pulls.v2Host
				}
				next, cleanup := freshDirs("bench-graph-")
				return func() error {
					dir, err := next()
					if err != nil {
						return err
					}
					return pullInto(dir, host+"/library/big")
				}, cleanup, nil
			},
		}
		if v2 {
			r.Skip = func() string {
				if err := pulls.prepare(); err != nil {
					return err.Error()
				}
				return pulls.v2Skip
			}
		}
		return r
	}
	return []row{
		{
			Group: group,
			Name:  copyRef,
			Key:   "copy",
			Prepare: func() (func() error, func(), error) {
				if err := pulls.prepare(); err != nil {
					return nil, nil, err
				}
				return func() error {
					for _, id := range pulls.ids {
						if err := get("http://" + pulls.fileHost + "/images/" + id + "/layer"); err != nil {
							return err
						}
					}
					return nil
				}, nil, nil
			},
		},
		{
			Group:     group,
			Name:      "the v1 protocol alone (session, index, tags, ancestry, json and layers; bytes discarded)",
			Reference: copyRef,
			Prepare: func() (func() error, func(), error) {
				if err := pulls.prepare(); err != nil {
					return nil, nil, err
				}
				return pulls.downloadV1, nil, nil
			},
		},
		pullRow("docker pull over v1 (job pull; graph.Register unpacks into vfs)", false),
		pullRow("docker pull over v2 (Debian's docker-registry, schema2; beyond 1.2)", true),
		{
			Group: tput,
			Name:  oneClientRef,
			Key:   "1 client",
			Rate:  true,
			Prepare: func() (func() error, func(), error) {
				if err := pulls.prepare(); err != nil {
					return nil, nil, err
				}
				return pulls.downloadV1, nil, nil
			},
		},
		{
			Group:     tput,
			Name:      fmt.Sprintf("%d clients at once, time per client", pullClients),
			Reference: oneClientRef,
			Ops:       pullClients,
			Rate:      true,
			Prepare: func() (func() error, func(), error) {
				if err := pulls.prepare(); err != nil {
					return nil, nil, err
				}
				return func() error {
					errs := make(chan error, pullClients)
					for i := 0; i < pullClients; i++ {
						go func() { errs <- pulls.downloadV1() }()
					}
					var first error
					for i := 0; i < pullClients; i++ {
						if err := <-errs; err != nil && first == nil {
							first = err
						}
					}
					return first
				}, nil, nil
			},
		},
	}
}
