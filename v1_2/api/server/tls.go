// TLS for tcp listeners: --tls serves HTTPS with the daemon's key pair;
// --tlsverify also demands a client certificate signed by --tlscacert.
//
// Upstream: api/server/server.go at v1.2.0 (the TLS block of ListenAndServe).
// See docs/upstream/v1.2.0.md §6.3.
// Book: ch.5 §5.4 创建listener.
// Notes: 004 for the client's side of the same flags.
package server

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// wrapTLS wraps l when the job asks for Tls or TlsVerify (env TlsCert,
// TlsKey, TlsCa: file paths). A unix socket is never wrapped, as upstream:
// its protection is the file mode.
func wrapTLS(l net.Listener, job *engine.Job) (net.Listener, error) {
	if !job.GetenvBool("Tls") && !job.GetenvBool("TlsVerify") {
		return l, nil
	}
	certFile, keyFile := job.Getenv("TlsCert"), job.Getenv("TlsKey")
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("Couldn't load X509 key pair (%s, %s): %s. Key encrypted?", certFile, keyFile, err)
	}
	config := &tls.Config{
		NextProtos:   []string{"http/1.1"},
		Certificates: []tls.Certificate{cert},
		// Not upstream: Go 1.3's defaults (Docker 1.2) accepted SSLv3
		// and TLS 1.0; Go's own default can be lowered again by a
		// GODEBUG setting, so the minimum is written down: TLS 1.2
		// (docs/divergences.md "Remote API server").
		MinVersion: tls.VersionTLS12,
	}
	if job.GetenvBool("TlsVerify") {
		pem, err := os.ReadFile(job.Getenv("TlsCa"))
		if err != nil {
			return nil, fmt.Errorf("Couldn't read CA certificate: %s", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("Couldn't read CA certificate: no PEM certificate in %s", job.Getenv("TlsCa"))
		}
		config.ClientAuth = tls.RequireAndVerifyClientCert
		config.ClientCAs = pool
	}
	return tls.NewListener(l, config), nil
}
