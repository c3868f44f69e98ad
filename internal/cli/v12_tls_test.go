package cli

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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
)

// tlsFiles writes ca.pem and, for each name, NAME-cert.pem and
// NAME-key.pem signed by that CA ("server" is valid for 127.0.0.1).
func tlsFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "dockerlab test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	writePEMFile(t, filepath.Join(dir, "ca.pem"), "CERTIFICATE", caDER)
	for i, name := range names {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(i + 2)), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
			KeyUsage:    x509.KeyUsageDigitalSignature, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		require.NoError(t, err)
		writePEMFile(t, filepath.Join(dir, name+"-cert.pem"), "CERTIFICATE", der)
		keyDER, err := x509.MarshalECPrivateKey(key)
		require.NoError(t, err)
		writePEMFile(t, filepath.Join(dir, name+"-key.pem"), "EC PRIVATE KEY", keyDER)
	}
}

func writePEMFile(t *testing.T, path, kind string, der []byte) {
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
}

// freeTCP is a loopback address nothing listens on right now.
func freeTCP(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// `dockerlab v1.2 daemon --tlsverify` and the client: a client with a
// certificate signed by the daemon's CA is served; one without, or with
// another CA's, is refused — and the daemon keeps serving.
func TestV12ClientTLSVerifyAgainstDaemon(t *testing.T) {
	dir := t.TempDir()
	tlsFiles(t, dir, "server", "client")
	other := t.TempDir()
	tlsFiles(t, other, "client")
	host := "tcp://" + freeTCP(t)
	startV12Daemon(t, fake.New(), "-H", host, "--tlsverify",
		"--tlscacert", filepath.Join(dir, "ca.pem"),
		"--tlscert", filepath.Join(dir, "server-cert.pem"), "--tlskey", filepath.Join(dir, "server-key.pem"))

	good := []string{"--tlsverify", "--tlscacert", filepath.Join(dir, "ca.pem"),
		"--tlscert", filepath.Join(dir, "client-cert.pem"), "--tlskey", filepath.Join(dir, "client-key.pem")}
	var out, errOut string
	var code int
	require.Eventually(t, func() bool {
		out, errOut, code = v12(t, host, nil, append(good, "version")...)
		return code == 0
	}, 20*time.Second, 50*time.Millisecond, "the daemon never served the good client: %s", errOut)
	assert.Contains(t, out, "Server version: 1.2.0\n")

	missing := filepath.Join(t.TempDir(), "none.pem")
	_, errOut, code = v12(t, host, nil, "--tlsverify", "--tlscacert", filepath.Join(dir, "ca.pem"),
		"--tlscert", missing, "--tlskey", missing, "version")
	assert.Equal(t, 1, code, "no client certificate: refused")
	assert.NotContains(t, errOut, "Server version")

	_, _, code = v12(t, host, nil, "--tls", "--tlscert", filepath.Join(other, "client-cert.pem"),
		"--tlskey", filepath.Join(other, "client-key.pem"), "version")
	assert.Equal(t, 1, code, "a certificate from another CA: refused")

	_, _, code = v12(t, host, nil, "version")
	assert.Equal(t, 1, code, "plain HTTP to a TLS daemon: refused")

	out, errOut, code = v12(t, host, nil, append(good, "info")...)
	assert.Equal(t, 0, code, "the daemon still serves: %s", errOut)
	assert.Contains(t, out, "Execution Driver: native-0.2")
}
