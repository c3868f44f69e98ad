package nat

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPortParts(t *testing.T) {
	cases := []struct {
		port   Port
		number string
		proto  string
		asInt  int
	}{
		{"1234/tcp", "1234", "tcp", 1234},
		{"53/udp", "53", "udp", 53},
		{"1234", "1234", "tcp", 1234},
		{"x/tcp", "x", "tcp", 0},
	}
	for _, c := range cases {
		assert.Equal(t, c.number, c.port.Port(), c.port)
		assert.Equal(t, c.proto, c.port.Proto(), c.port)
		assert.Equal(t, c.asInt, c.port.Int(), c.port)
	}
	assert.Equal(t, Port("1234/tcp"), NewPort("tcp", "1234"))
}

func TestParsePort(t *testing.T) {
	p, err := ParsePort("1234")
	require.NoError(t, err)
	assert.Equal(t, 1234, p)
	for _, bad := range []string{"asdf", "", "65536", "-1", "1.5"} {
		_, err := ParsePort(bad)
		assert.Error(t, err, bad)
	}
}

func TestSplitProtoPort(t *testing.T) {
	cases := []struct{ in, proto, port string }{
		{"1234/tcp", "tcp", "1234"},
		{"1234/udp", "udp", "1234"},
		{"1234", "tcp", "1234"},
		{"", "", ""},
		{"/tcp", "tcp", ""},
	}
	for _, c := range cases {
		proto, port := SplitProtoPort(c.in)
		assert.Equal(t, c.proto, proto, c.in)
		assert.Equal(t, c.port, port, c.in)
	}
}

func TestParsePortSpecsForms(t *testing.T) {
	cases := []struct {
		spec    string
		port    Port
		binding PortBinding
	}{
		{"80", "80/tcp", PortBinding{}},
		{"53/udp", "53/udp", PortBinding{}},
		{"8080:80", "80/tcp", PortBinding{HostPort: "8080"}},
		{"1.2.3.4:8080:80", "80/tcp", PortBinding{HostIp: "1.2.3.4", HostPort: "8080"}},
		{"1.2.3.4::80/udp", "80/udp", PortBinding{HostIp: "1.2.3.4"}},
		{":8080:80", "80/tcp", PortBinding{HostPort: "8080"}},
	}
	for _, c := range cases {
		exposed, bindings, err := ParsePortSpecs([]string{c.spec})
		require.NoError(t, err, c.spec)
		assert.Equal(t, map[Port]struct{}{c.port: {}}, exposed, c.spec)
		assert.Equal(t, map[Port][]PortBinding{c.port: {c.binding}}, bindings, c.spec)
	}
}

func TestParsePortSpecsSamePortTwice(t *testing.T) {
	exposed, bindings, err := ParsePortSpecs([]string{"8080:80", "127.0.0.1:9090:80", "80/udp"})
	require.NoError(t, err)
	assert.Len(t, exposed, 2)
	assert.Equal(t, []PortBinding{{HostPort: "8080"}, {HostIp: "127.0.0.1", HostPort: "9090"}}, bindings["80/tcp"])
	assert.Equal(t, []PortBinding{{}}, bindings["80/udp"])
}

func TestParsePortSpecsErrors(t *testing.T) {
	cases := map[string]string{
		"localhost:1234:80": "Invalid ip address: localhost",
		"1.2.3.4:1234:":     "No port specified: 1.2.3.4:1234:<empty>",
		"":                  "No port specified: ::<empty>",
		"1234:asdf":         "Invalid containerPort: asdf",
		"asdf:80":           "Invalid hostPort: asdf",
		"70000:80":          "Invalid hostPort: 70000",
		"80/sctp":           "Invalid proto: sctp",
		"1:2:3:4":           "Invalid format to parse.  1:2:3:4 should match template ip:hostPort:containerPort",
		"8000-8010:80":      "Invalid hostPort: 8000-8010",
	}
	for spec, msg := range cases {
		_, _, err := ParsePortSpecs([]string{spec})
		assert.EqualError(t, err, msg, spec)
	}
}

func TestPortMapJSON(t *testing.T) {
	m := PortMap{"80/tcp": {{HostIp: "0.0.0.0", HostPort: "49153"}}}
	text, err := json.Marshal(m)
	require.NoError(t, err)
	assert.JSONEq(t, `{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"49153"}]}`, string(text))
}

func TestSort(t *testing.T) {
	ports := []Port{"9000/tcp", "80/udp", "8080/tcp", "80/tcp"}
	Sort(ports, func(a, b Port) bool {
		return a.Int() < b.Int() || (a.Int() == b.Int() && a.Proto() == "tcp")
	})
	assert.Equal(t, []Port{"80/tcp", "80/udp", "8080/tcp", "9000/tcp"}, ports)
}
