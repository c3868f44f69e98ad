// IpOpt: a flag holding one IP address (the daemon's `--ip`, the default
// host address for published ports).
//
// Upstream: opts/ip.go at v1.2.0.
package opts

import (
	"fmt"
	"net"
)

// IpOpt writes the parsed address into the net.IP it points at.
type IpOpt struct {
	*net.IP
}

// NewIpOpt points at ref and stores defaultVal in it. A bad default leaves
// ref as it was (upstream ignored that error as well).
func NewIpOpt(ref *net.IP, defaultVal string) *IpOpt {
	o := &IpOpt{IP: ref}
	_ = o.Set(defaultVal)
	return o
}

// Set parses val; it must be an IPv4 or IPv6 address.
func (o *IpOpt) Set(val string) error {
	ip := net.ParseIP(val)
	if ip == nil {
		return fmt.Errorf("%s is not an ip address", val)
	}
	*o.IP = ip
	return nil
}

// String prints the address ("<nil>" when unset, as net.IP does).
func (o *IpOpt) String() string {
	if o.IP == nil {
		return "<nil>"
	}
	return o.IP.String()
}
