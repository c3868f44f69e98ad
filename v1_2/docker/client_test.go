package docker

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// certs writes a CA and a certificate signed by it for each of names
// ("server" gets 127.0.0.1 as its address) into dir as NAME.pem and
// NAME-key.pem; the CA is ca.pem.
func certs(t *testing.T, dir string, names ...string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "dockerlab test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	writePEM(t, filepath.Join(dir, "ca.pem"), "CERTIFICATE", caDER)
	for i, name := range names {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(int64(i + 2)), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
			KeyUsage:    x509.KeyUsageDigitalSignature,
		}
		if name == "server" {
			tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		require.NoError(t, err)
		writePEM(t, filepath.Join(dir, name+".pem"), "CERTIFICATE", der)
		keyDER, err := x509.MarshalECPrivateKey(key)
		require.NoError(t, err)
		writePEM(t, filepath.Join(dir, name+"-key.pem"), "EC PRIVATE KEY", keyDER)
	}
}

func writePEM(t *testing.T, path, kind string, der []byte) {
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
}

// tlsDaemon is an HTTPS server that, like `docker -d --tlsverify`, serves
// only clients with a certificate signed by dir's CA.
func tlsDaemon(t *testing.T, dir string) string {
	serverCert, err := tls.LoadX509KeyPair(filepath.Join(dir, "server.pem"), filepath.Join(dir, "server-key.pem"))
	require.NoError(t, err)
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(caPEM))
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"Version":"1.2.0","ApiVersion":"1.14","GitCommit":"fa7b24f","GoVersion":"go"}`)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return "tcp://" + strings.TrimPrefix(srv.URL, "https://")
}

// clientRun parses args as `dockerlab v1.2` does and runs MainClient.
func clientRun(t *testing.T, args ...string) (string, error) {
	var f ClientFlags
	fs := pflag.NewFlagSet("v1.2", pflag.ContinueOnError)
	fs.SetInterspersed(false)
	f.InstallFlags(fs)
	require.NoError(t, fs.Parse(args))
	var out bytes.Buffer
	err := MainClient(&f, fs.Args(), ClientStreams{In: io.NopCloser(strings.NewReader("")), Out: &out, Err: &out})
	return out.String(), err
}

func TestClientTLSVerify(t *testing.T) {
	good := t.TempDir()
	certs(t, good, "server", "client")
	host := tlsDaemon(t, good)
	ca, cert, key := filepath.Join(good, "ca.pem"), filepath.Join(good, "client.pem"), filepath.Join(good, "client-key.pem")

	// A client with a CA-signed certificate is served.
	out, err := clientRun(t, "-H", host, "--tlsverify", "--tlscacert", ca, "--tlscert", cert, "--tlskey", key, "version")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Server version: 1.2.0\n")

	// --tls alone encrypts without checking the daemon (upstream's
	// InsecureSkipVerify), still sending the certificate.
	out, err = clientRun(t, "-H", host, "--tls", "--tlscert", cert, "--tlskey", key, "version")
	require.NoError(t, err, out)

	// Without a client certificate the daemon refuses the handshake.
	missing := filepath.Join(t.TempDir(), "none.pem")
	_, err = clientRun(t, "-H", host, "--tlsverify", "--tlscacert", ca, "--tlscert", missing, "--tlskey", missing, "version")
	require.Error(t, err)

	// A certificate from another CA is refused too, and the client,
	// trusting only its own CA, refuses the daemon.
	other := t.TempDir()
	certs(t, other, "client")
	_, err = clientRun(t, "-H", host, "--tls", "--tlscert", filepath.Join(other, "client.pem"), "--tlskey", filepath.Join(other, "client-key.pem"), "version")
	require.Error(t, err)
	_, err = clientRun(t, "-H", host, "--tlsverify", "--tlscacert", filepath.Join(other, "ca.pem"), "--tlscert", cert, "--tlskey", key, "version")
	require.ErrorContains(t, err, "certificate signed by unknown authority")

	// Plain HTTP to a TLS daemon gets the server's 400.
	_, err = clientRun(t, "-H", host, "version")
	require.Error(t, err)
}

// The file defaults come from DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem.
func TestClientTLSDefaultsFromDockerCertPath(t *testing.T) {
	dir := t.TempDir()
	certs(t, dir, "server", "client")
	require.NoError(t, os.Rename(filepath.Join(dir, "client.pem"), filepath.Join(dir, "cert.pem")))
	require.NoError(t, os.Rename(filepath.Join(dir, "client-key.pem"), filepath.Join(dir, "key.pem")))
	host := tlsDaemon(t, dir)
	t.Setenv("DOCKER_CERT_PATH", dir)
	out, err := clientRun(t, "-H", host, "--tlsverify", "version")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Server version: 1.2.0\n")
}

func TestClientTrace(t *testing.T) {
	dir := t.TempDir()
	certs(t, dir, "server", "client")
	host := tlsDaemon(t, dir)
	out, err := clientRun(t, "-H", host, "--trace", "--tlsverify", "--tlscacert", filepath.Join(dir, "ca.pem"),
		"--tlscert", filepath.Join(dir, "client.pem"), "--tlskey", filepath.Join(dir, "client-key.pem"), "version")
	require.NoError(t, err, out)
	for _, want := range []string{
		`[trace] 2.2   flags: -H ["` + host + `"]`,
		`[trace] 2.2   host ` + host + ` (-H) → proto "tcp"`,
		"[trace] 2.2   tls: on, the daemon's certificate checked against --tlscacert (--tlsverify), 1 client certificate(s)",
		"scheme: https, tls: true",
		`[trace] 2.3   getMethod("version") → CmdVersion`,
		"[trace] 2.3   → GET /v1.14/version (User-Agent: Docker-Client/1.2.0)",
		"[trace] 2.3   ← 200 OK (Content-Type: application/json)",
	} {
		assert.Contains(t, out, want)
	}
}
