package server

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/stdcopy"
)

// rawAttach sends an attach request by hand and answers the status line
// and the rest of the connection.
func rawAttach(t *testing.T, addr, path string, upgrade bool, stdin string) (string, *bufio.Reader, net.Conn) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	req := "POST " + path + " HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n"
	if upgrade {
		req += "Connection: Upgrade\r\nUpgrade: tcp\r\n"
	}
	_, err = io.WriteString(conn, req+"\r\n"+stdin)
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	require.NoError(t, err)
	for { // headers
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		if line == "\r\n" {
			break
		}
	}
	return strings.TrimSpace(status), br, conn
}

func TestAttachHijack(t *testing.T) {
	f := newFakeJobs(t)
	f.answers["attach"] = func(job *engine.Job) engine.Status {
		// Echo one line of stdin to stdout, and say something on stderr.
		line, _ := bufio.NewReader(job.Stdin).ReadString('\n')
		job.Stdout.Write([]byte("got " + line))
		job.Stderr.Write([]byte("warn\n"))
		return engine.StatusOK
	}
	srv := httptest.NewServer(createRouter(f.eng, false, false, ""))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	// A later client: Upgrade: tcp, 101, framed streams without a tty.
	status, br, conn := rawAttach(t, addr, "/v1.24/containers/web/attach?stream=1&stdin=1&stdout=1&stderr=1", true, "hello\n")
	assert.Equal(t, "HTTP/1.1 101 UPGRADED", status)
	var o, e bytes.Buffer
	_, err := stdcopy.StdCopy(&o, &e, br)
	require.NoError(t, err)
	conn.Close()
	assert.Equal(t, "got hello\n", o.String())
	assert.Equal(t, "warn\n", e.String())
	assert.Equal(t, "1", f.last("attach").env["stdin"])

	// Docker 1.2's client: a plain POST, 200, and raw bytes with a tty.
	status, br, conn = rawAttach(t, addr, "/v1.14/containers/tty/attach?stream=1&stdin=1&stdout=1", false, "hi\n")
	assert.Equal(t, "HTTP/1.1 200 OK", status)
	rest, err := io.ReadAll(br)
	require.NoError(t, err)
	conn.Close()
	assert.Equal(t, "got hi\nwarn\n", string(rest))
}

// TestEventsForLaterClients: filters pick one container, and "die" carries
// the exit code where the docker CLI looks for it.
func TestEventsForLaterClients(t *testing.T) {
	f := newFakeJobs(t)
	id := strings.Repeat("a", 64)
	f.answers["events"] = func(job *engine.Job) engine.Status {
		assert.NotEmpty(t, job.Getenv("since"), "since defaults to now")
		enc := json.NewEncoder(job.Stdout)
		enc.Encode(map[string]any{"status": "start", "id": strings.Repeat("b", 64), "from": "busybox:latest", "time": 5})
		enc.Encode(map[string]any{"status": "die", "id": id, "from": "busybox:latest", "time": 6})
		enc.Encode(map[string]any{"status": "untag", "id": "img", "time": 7})
		return engine.StatusOK
	}
	w := f.do("GET", `/events?filters={"container":{"`+id+`":true},"type":{"container":true}}`, "")
	require.Equal(t, 200, w.Code)
	lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n")
	require.Len(t, lines, 1, w.Body.String())
	var m struct {
		Status, Type, Action string
		Actor                struct {
			ID         string
			Attributes map[string]string
		}
		TimeNano int64 `json:"timeNano"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &m))
	assert.Equal(t, "die", m.Status)
	assert.Equal(t, "die", m.Action)
	assert.Equal(t, "container", m.Type)
	assert.Equal(t, id, m.Actor.ID)
	assert.Equal(t, "3", m.Actor.Attributes["exitCode"])
	assert.Equal(t, "busybox:latest", m.Actor.Attributes["image"])
	assert.EqualValues(t, 6e9, m.TimeNano)

	// Without filters every event passes; image events are typed "image".
	w = f.do("GET", "/events", "")
	assert.Len(t, strings.Split(strings.TrimSpace(w.Body.String()), "\n"), 3)
	assert.Contains(t, w.Body.String(), `"Type":"image"`)
}

// A destroyed container is not inspected (it is gone: the inspect could
// only fail, and log an error after every `docker run --rm`); its name
// comes from the stream's earlier events.
func TestEventsDoNotInspectADestroyedContainer(t *testing.T) {
	f := newFakeJobs(t)
	id := strings.Repeat("c", 64)
	var mu sync.Mutex
	inspects := 0
	f.answers["container_inspect"] = func(job *engine.Job) engine.Status {
		mu.Lock()
		defer mu.Unlock()
		inspects++
		if inspects > 1 { // the die event's inspect is the last one that can work
			return job.Errorf("No such container: %s", job.Args[0])
		}
		fmt.Fprintf(job.Stdout, `{"Id":"%s","Name":"/web","State":{"ExitCode":0}}`, id)
		return engine.StatusOK
	}
	f.answers["events"] = func(job *engine.Job) engine.Status {
		enc := json.NewEncoder(job.Stdout)
		enc.Encode(map[string]any{"status": "die", "id": id, "from": "busybox:latest", "time": 6})
		enc.Encode(map[string]any{"status": "destroy", "id": id, "from": "busybox:latest", "time": 7})
		return engine.StatusOK
	}
	w := f.do("GET", "/events", "")
	lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n")
	require.Len(t, lines, 2, w.Body.String())
	var m struct {
		Action string
		Actor  struct{ Attributes map[string]string }
	}
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &m))
	assert.Equal(t, "destroy", m.Action)
	assert.Equal(t, "web", m.Actor.Attributes["name"])
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1, inspects, "only the die event is inspected")
}

// flushProbe is a ResponseRecorder that notes, when the handler flushes,
// whether the container's "destroy" event was still held.
type flushProbe struct {
	*httptest.ResponseRecorder
	id            string
	flushedInHold bool
}

func (p *flushProbe) Flush() {
	p.flushedInHold = p.flushedInHold || deleting(p.id, "")
	p.ResponseRecorder.Flush()
}

// The DELETE's 204 is on the connection before the "destroy" event is let
// go: released first, a loaded machine could send the event while the
// answer still sat in the server's buffer, and the docker CLI, which exits
// on "destroy", cut its own DELETE short ("error removing container:
// context canceled", TestDockerCLILinux once in four runs).
func TestDeleteAnswersBeforeDestroyIsSent(t *testing.T) {
	f := newFakeJobs(t)
	id := strings.Repeat("d", 64)
	probe := &flushProbe{ResponseRecorder: httptest.NewRecorder(), id: id}
	createRouter(f.eng, false, false, "").ServeHTTP(probe, httptest.NewRequest("DELETE", "/v1.14/containers/"+id+"?v=1", nil))
	assert.Equal(t, http.StatusNoContent, probe.Code)
	assert.True(t, probe.flushedInHold, "the 204 must be flushed while the destroy event is held")
	assert.False(t, deleting(id, ""), "the hold ends with the request")
}

// TestClientLeavesMidStream: a client that goes away during logs -f ends
// the job (its next write fails), and the server goes on serving.
func TestClientLeavesMidStream(t *testing.T) {
	f := newFakeJobs(t)
	ended := make(chan struct{})
	f.answers["logs"] = func(job *engine.Job) engine.Status {
		defer close(ended)
		for i := 0; i < 10000; i++ {
			if _, err := job.Stdout.Write([]byte("line\n")); err != nil {
				return engine.StatusOK
			}
			time.Sleep(time.Millisecond)
		}
		return engine.StatusOK
	}
	srv := httptest.NewServer(createRouter(f.eng, false, false, ""))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/containers/web/logs?stdout=1&follow=1")
	require.NoError(t, err)
	buf := make([]byte, 9)
	_, err = io.ReadFull(resp.Body, buf)
	require.NoError(t, err)
	resp.Body.Close() // leave mid-stream
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("the logs job went on after its client left")
	}
	resp, err = http.Get(srv.URL + "/_ping")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "OK", string(body))
}

// certs makes a CA, a server certificate for 127.0.0.1 and a client
// certificate, all signed by the CA, plus one self-signed client
// certificate the CA never saw. It answers the file paths.
type testCerts struct {
	dir                       string
	ca, serverCert, serverKey string
	clientCert, clientKey     string
	strangerCert, strangerKey string
}

func makeCerts(t *testing.T) testCerts {
	dir := t.TempDir()
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
		return p
	}
	key := func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		return k
	}
	serial := int64(1)
	tmpl := func(cn string, isCA bool, usage x509.ExtKeyUsage) *x509.Certificate {
		serial++
		c := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: cn},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		}
		if isCA {
			c.IsCA, c.BasicConstraintsValid = true, true
			c.KeyUsage |= x509.KeyUsageCertSign
		}
		return c
	}
	caKey := key()
	caTmpl := tmpl("dockerlab test CA", true, x509.ExtKeyUsageAny)
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	caCert, _ := x509.ParseCertificate(caDER)
	sign := func(name string, tm *x509.Certificate, parent *x509.Certificate, parentKey *rsa.PrivateKey) (string, string) {
		k := key()
		if parent == nil {
			parent, parentKey = tm, k
		}
		der, err := x509.CreateCertificate(rand.Reader, tm, parent, &k.PublicKey, parentKey)
		require.NoError(t, err)
		return write(name+"-cert.pem", "CERTIFICATE", der), write(name+"-key.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))
	}
	c := testCerts{dir: dir, ca: write("ca.pem", "CERTIFICATE", caDER)}
	st := tmpl("server", false, x509.ExtKeyUsageServerAuth)
	st.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	c.serverCert, c.serverKey = sign("server", st, caCert, caKey)
	c.clientCert, c.clientKey = sign("client", tmpl("client", false, x509.ExtKeyUsageClientAuth), caCert, caKey)
	c.strangerCert, c.strangerKey = sign("stranger", tmpl("stranger", false, x509.ExtKeyUsageClientAuth), nil, nil)
	return c
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// serveTLS serves the API over TLS on a free port until the test ends
// (verify: client certificates signed by the CA are required).
func serveTLS(t *testing.T, certs testCerts, verify bool) string {
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, eng.Register("serveapi", ServeApi))
	addr := freePort(t)
	job := eng.Job("serveapi", "tcp://"+addr)
	job.SetenvBool("Tls", true)
	job.SetenvBool("TlsVerify", verify)
	job.Setenv("TlsCa", certs.ca)
	job.Setenv("TlsCert", certs.serverCert)
	job.Setenv("TlsKey", certs.serverKey)
	done := make(chan error, 1)
	go func() { done <- job.Run() }()
	t.Cleanup(func() { eng.Shutdown(); <-done })
	waitDialable(t, "tcp", addr)
	return addr
}

// waitDialable waits until something listens on addr.
func waitDialable(t *testing.T, network, addr string) {
	require.Eventually(t, func() bool {
		c, err := net.Dial(network, addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 5*time.Second, 10*time.Millisecond)
}

// caPool holds the test CA.
func caPool(certs testCerts) *x509.CertPool {
	pool := x509.NewCertPool()
	caPEM, _ := os.ReadFile(certs.ca)
	pool.AppendCertsFromPEM(caPEM)
	return pool
}

func TestTLSVerify(t *testing.T) {
	certs := makeCerts(t)
	addr := serveTLS(t, certs, true)
	pool := caPool(certs)
	client := func(certFile, keyFile string) *http.Client {
		cfg := &tls.Config{RootCAs: pool}
		if certFile != "" {
			pair, err := tls.LoadX509KeyPair(certFile, keyFile)
			require.NoError(t, err)
			cfg.Certificates = []tls.Certificate{pair}
		}
		return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 10 * time.Second}
	}

	// Signed by the CA: served.
	resp, err := client(certs.clientCert, certs.clientKey).Get("https://" + addr + "/_ping")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "OK", string(body))
	// No certificate, or one the CA never signed: refused in the handshake.
	_, err = client("", "").Get("https://" + addr + "/_ping")
	assert.Error(t, err)
	_, err = client(certs.strangerCert, certs.strangerKey).Get("https://" + addr + "/_ping")
	assert.Error(t, err)
	// Plain HTTP on a TLS port gets no API answer.
	resp, err = (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/_ping")
	if err == nil {
		assert.NotEqual(t, 200, resp.StatusCode)
		resp.Body.Close()
	}
}

func TestTLSBadFiles(t *testing.T) {
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, eng.Register("serveapi", ServeApi))
	job := eng.Job("serveapi", "tcp://"+freePort(t))
	job.SetenvBool("Tls", true)
	job.Setenv("TlsCert", "/nonexistent/cert.pem")
	job.Setenv("TlsKey", "/nonexistent/key.pem")
	assert.ErrorContains(t, job.Run(), "Couldn't load X509 key pair")

	certs := makeCerts(t)
	job = eng.Job("serveapi", "tcp://"+freePort(t))
	job.SetenvBool("TlsVerify", true)
	job.Setenv("TlsCert", certs.serverCert)
	job.Setenv("TlsKey", certs.serverKey)
	job.Setenv("TlsCa", filepath.Join(certs.dir, "missing-ca.pem"))
	assert.ErrorContains(t, job.Run(), "Couldn't read CA certificate")
}

// TestDestroyAfterDeleteAnswered: a container's "destroy" event waits for
// the DELETE being served to answer (the docker CLI exits on "destroy").
func TestDestroyAfterDeleteAnswered(t *testing.T) {
	f := newFakeJobs(t)
	id := strings.Repeat("d", 64)
	release := make(chan struct{})
	logged := make(chan struct{})
	f.answers["delete"] = func(job *engine.Job) engine.Status {
		close(logged) // the job logs "destroy" before it returns
		<-release
		return engine.StatusOK
	}
	f.answers["events"] = func(job *engine.Job) engine.Status {
		<-logged
		json.NewEncoder(job.Stdout).Encode(map[string]any{"status": "destroy", "id": id, "time": 1})
		return engine.StatusOK
	}
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	deleted := make(chan struct{})
	go func() {
		f.do("DELETE", "/containers/"+id, "")
		note("delete answered")
		close(deleted)
	}()
	events := make(chan struct{})
	go func() {
		w := f.do("GET", "/events", "")
		assert.Contains(t, w.Body.String(), `"status":"destroy"`)
		note("destroy sent")
		close(events)
	}()
	<-logged
	time.Sleep(50 * time.Millisecond) // the event is ready; it must wait
	close(release)
	<-deleted
	<-events
	assert.Equal(t, []string{"delete answered", "destroy sent"}, order)
}
