// Package nat names the ports of a container: "80/tcp" as a Port, the set a
// container exposes (PortSet) and where each is published on the host
// (PortMap of PortBinding).
//
// Upstream: nat/nat.go at v1.2.0 (types, NewPort, ParsePort, SplitProtoPort).
// Book: ch.7 §7.3 (CmdRun's -p/--expose) and ch.12 §12.3 (端口映射: the bridge
// driver's allocate_port job reads these bindings).
package nat

import (
	"fmt"
	"strconv"
	"strings"
)

// Port is "<number>/<proto>", e.g. "80/tcp". JSON keys of ExposedPorts and
// PortBindings are this text.
type Port string

// PortBinding is one host side of a published port. An empty HostIp means
// every address; an empty HostPort means "pick a free one".
type PortBinding struct {
	HostIp   string
	HostPort string
}

// PortMap lists the host bindings of each container port.
type PortMap map[Port][]PortBinding

// PortSet is the set of ports a container exposes.
type PortSet map[Port]struct{}

// NewPort joins a protocol and a port number into "port/proto".
func NewPort(proto, port string) Port {
	return Port(fmt.Sprintf("%s/%s", port, proto))
}

// ParsePort reads a port number (0..65535).
func ParsePort(rawPort string) (int, error) {
	port, err := strconv.ParseUint(rawPort, 10, 16)
	if err != nil {
		return 0, err
	}
	return int(port), nil
}

// Proto is the part after '/', "tcp" when there is none.
func (p Port) Proto() string {
	_, proto, ok := strings.Cut(string(p), "/")
	if !ok {
		return "tcp"
	}
	// "80/tcp/x" reads as tcp, as upstream's split took only the second part.
	proto, _, _ = strings.Cut(proto, "/")
	return proto
}

// Port is the number part, as text.
func (p Port) Port() string {
	number, _, _ := strings.Cut(string(p), "/")
	return number
}

// Int is the number part. Upstream panicked on a port that is not a
// number; here such a port reads as 0 (our rule: nothing panics).
func (p Port) Int() int {
	i, err := ParsePort(p.Port())
	if err != nil {
		return 0
	}
	return i
}

// SplitProtoPort splits "80/udp" into ("udp", "80"); without a protocol it
// is tcp, and the empty text gives ("", "").
func SplitProtoPort(rawPort string) (string, string) {
	if rawPort == "" {
		return "", ""
	}
	parts := strings.Split(rawPort, "/")
	if len(parts) == 1 {
		return "tcp", rawPort
	}
	return parts[1], parts[0]
}
