package integrationcli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeCerts makes, in dir, what `docker --tlsverify` reads from a
// DOCKER_CERT_PATH — ca.pem, cert.pem, key.pem — for the client, and
// server-cert.pem / server-key.pem for the daemon, all signed by one CA.
// dir/stranger holds a client pair from another CA.
func writeCerts(t *testing.T, dir string) {
	write := func(name, typ string, der []byte) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
	}
	serial := int64(10)
	newCA := func() (*x509.Certificate, *ecdsa.PrivateKey, []byte) {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		serial++
		tm := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "dockerlab test CA"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
		der, err := x509.CreateCertificate(rand.Reader, tm, tm, &k.PublicKey, k)
		require.NoError(t, err)
		c, _ := x509.ParseCertificate(der)
		return c, k, der
	}
	leaf := func(ca *x509.Certificate, caKey *ecdsa.PrivateKey, cn string, usage x509.ExtKeyUsage, certName, keyName string) {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		serial++
		tm := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
		der, err := x509.CreateCertificate(rand.Reader, tm, ca, &k.PublicKey, caKey)
		require.NoError(t, err)
		kder, err := x509.MarshalECPrivateKey(k)
		require.NoError(t, err)
		write(certName, "CERTIFICATE", der)
		write(keyName, "EC PRIVATE KEY", kder)
	}
	ca, caKey, caDER := newCA()
	write("ca.pem", "CERTIFICATE", caDER)
	leaf(ca, caKey, "server", x509.ExtKeyUsageServerAuth, "server-cert.pem", "server-key.pem")
	leaf(ca, caKey, "client", x509.ExtKeyUsageClientAuth, "cert.pem", "key.pem")
	other, otherKey, _ := newCA()
	// The stranger trusts the daemon, but its own pair is signed by another CA.
	write("stranger/ca.pem", "CERTIFICATE", caDER)
	leaf(other, otherKey, "stranger", x509.ExtKeyUsageClientAuth, "stranger/cert.pem", "stranger/key.pem")
}

// TestDockerCLITLSVerify: `dockerlab v1.2 daemon --tlsverify -H tcp://…`
// serves the stock docker CLI when it shows a certificate signed by the
// CA, and refuses it with none or with one signed elsewhere.
func TestDockerCLITLSVerify(t *testing.T) {
	certs := t.TempDir()
	writeCerts(t, certs)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	d := startDaemon(t, "fake", "-H", "tcp://"+addr, "--tlsverify",
		"--tlscacert", filepath.Join(certs, "ca.pem"),
		"--tlscert", filepath.Join(certs, "server-cert.pem"),
		"--tlskey", filepath.Join(certs, "server-key.pem"))
	c := newDockerCLI(t, d)
	tcp := func(extraEnv []string, args ...string) (string, string, int) {
		t.Helper()
		saved := c.d.host
		c.d.host = "tcp://" + addr
		defer func() { c.d.host = saved }()
		c.extraEnv = extraEnv
		defer func() { c.extraEnv = nil }()
		return c.run(nil, args...)
	}

	out, errOut, code := tcp([]string{"DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=" + certs}, "version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "1.2.0 1.14\n", out)

	// No client certificate: the handshake fails.
	noCert := t.TempDir()
	data, _ := os.ReadFile(filepath.Join(certs, "ca.pem"))
	require.NoError(t, os.WriteFile(filepath.Join(noCert, "ca.pem"), data, 0o600))
	_, errOut, code = tcp([]string{"DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=" + noCert}, "version", "--format", "{{.Server.Version}}")
	assert.NotEqual(t, 0, code)
	assert.NotContains(t, errOut, "1.2.0")

	// A certificate from another CA: refused too.
	_, errOut, code = tcp([]string{"DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=" + filepath.Join(certs, "stranger")}, "version", "--format", "{{.Server.Version}}")
	assert.NotEqual(t, 0, code)
	// How the refusal reaches the client depends on timing: the server's
	// alert, or a reset when the client was still writing its request.
	assert.True(t, strings.Contains(errOut, "certificate") || strings.Contains(errOut, "tls") ||
		strings.Contains(errOut, "EOF") || strings.Contains(errOut, "connection reset"), errOut)

	// The unix socket keeps working without TLS, and is 0660.
	fi, err := os.Stat(d.sock)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o660), fi.Mode().Perm())
	assert.Contains(t, c.ok("version", "--format", "{{.Server.Version}}"), "1.2.0")
}
