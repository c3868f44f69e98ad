// Package v2test starts Debian's docker-registry (distribution 2.8, the
// v2 protocol only) on 127.0.0.1 at a free port and fills it with
// Debian's skopeo, for the tests of pulls from v2 registries. Nothing
// leaves the machine: the image is the busybox demo image (make images),
// written as an OCI layout here.
//
// Not upstream: Docker 1.2 knew only v1; this is test scaffolding for
// dockerlab's v2 pull (v1_2/graph/pull_v2.go).
//
// When docker-registry or skopeo is missing the tests skip, saying how
// to install them (scripts/deps.sh, as root, does); with CI=true they
// fail instead, because CI must run them.
package v2test

import (
	"archive/tar"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opencontainers/go-digest"

	"github.com/dockerlab/dockerlab/internal/ocilayout"
)

// RequireTool answers the path of a program, or skips (fails in CI).
func RequireTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed (Debian package %s; `sudo scripts/deps.sh` installs it)", name, pkg)
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI must run this test, but %s", msg)
	}
	t.Skipf("skipping: %s", msg)
	return ""
}

// freePort answers a port nothing listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Registry is one running docker-registry.
type Registry struct {
	Host string // 127.0.0.1:port
	Root string // its storage directory
}

// Start runs `docker-registry serve` with a config of its own (storage in
// a temp dir, loopback, no auth) and waits until GET /v2/ answers. The
// process is stopped (by its pid) when the test ends.
func Start(t testing.TB) *Registry {
	t.Helper()
	bin := RequireTool(t, "docker-registry", "docker-registry")
	r, stop, err := Run(bin, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return r
}

// Run starts the docker-registry binary bin with its config and storage
// in dir, on a free loopback port, and answers a stop function (SIGTERM
// to its pid, then SIGKILL). Benchmarks use it directly.
func Run(bin, dir string) (*Registry, func(), error) {
	r := &Registry{Root: filepath.Join(dir, "storage")}
	var cmd *exec.Cmd
	var log bytes.Buffer
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, nil, err
		}
		r.Host = fmt.Sprintf("127.0.0.1:%d", port)
		config := fmt.Sprintf("version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n", r.Root, r.Host)
		cfgPath := filepath.Join(dir, "config.yml")
		if err := os.WriteFile(cfgPath, []byte(config), 0600); err != nil {
			return nil, nil, err
		}
		cmd = exec.Command(bin, "serve", cfgPath)
		log.Reset()
		cmd.Stdout, cmd.Stderr = &log, &log
		if err := cmd.Start(); err != nil {
			return nil, nil, err
		}
		if waitV2(r.Host, 15*time.Second) {
			break
		}
		cmd.Process.Kill()
		cmd.Wait()
		cmd = nil
	}
	if cmd == nil {
		return nil, nil, fmt.Errorf("docker-registry did not answer on %s:\n%s", r.Host, log.String())
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	return r, stop, nil
}

func waitV2(host string, within time.Duration) bool {
	client := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := client.Get("http://" + host + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return true
			}
		}
	}
	return false
}

// Copy runs skopeo copy from an OCI layout to this registry.
func (r *Registry) Copy(t testing.TB, layout, ref, dest string, extra ...string) {
	t.Helper()
	bin := RequireTool(t, "skopeo", "skopeo")
	if err := r.SkopeoCopy(bin, t.TempDir(), layout, ref, dest, extra...); err != nil {
		t.Fatal(err)
	}
}

// SkopeoCopy is Copy for callers without a testing.TB; home is an empty
// directory for skopeo's HOME (no policy or auth files of the user's).
func (r *Registry) SkopeoCopy(bin, home, layout, ref, dest string, extra ...string) error {
	args := append([]string{"--insecure-policy", "copy", "--quiet", "--dest-tls-verify=false"}, extra...)
	args = append(args, "oci:"+layout+":"+ref, "docker://"+r.Host+"/"+dest)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("skopeo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// BlobPath is where the registry keeps a blob on disk (distribution's
// layout), so a test can corrupt it.
func (r *Registry) BlobPath(d digest.Digest) string {
	hex := d.Encoded()
	return filepath.Join(r.Root, "docker", "registry", "v2", "blobs", d.Algorithm().String(), hex[:2], hex, "data")
}

// WriteLayout writes rootfsTar as an OCI layout in a temp dir
// (internal/ocilayout).
func WriteLayout(t testing.TB, rootfsTar []byte) *ocilayout.Layout {
	t.Helper()
	l, err := ocilayout.Write(t.TempDir(), rootfsTar)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TarOf makes a small plain tar of name → content pairs (for tests that
// do not need busybox).
func TarOf(files ...string) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		tw.WriteHeader(&tar.Header{Name: files[i], Mode: 0755, Size: int64(len(files[i+1])), Typeflag: tar.TypeReg, ModTime: time.Unix(1408492800, 0)})
		tw.Write([]byte(files[i+1]))
	}
	tw.Close()
	return buf.Bytes()
}
