package bridge

import "net"

func parseCIDR(s string) (net.IP, *net.IPNet, error) { return net.ParseCIDR(s) }
func parseIP(s string) net.IP                        { return net.ParseIP(s) }
