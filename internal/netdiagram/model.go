// Package netdiagram draws a network namespace's bridges, their veth ports
// and the namespaces at the far end of each veth, as ASCII art.
//
// It reproduces, for the running machine, the "Docker网络桥接 bridge模式"
// picture of note 000 (and book ch.6 §6.5 创建网桥, ch.7 §7.2 bridge模式:
// docker0, veth pairs, ip_forward, the host's eth0). Docker itself never drew this;
// it is here so a reader can see what `ip link` lists without reassembling
// the pairs in their head.
//
// The package is split in two: Model (this file) is plain data and Draw
// turns it into text, so the drawing is tested with hand-built models;
// Build (build.go) fills a Model from a backend.Host.
package netdiagram

// Model is everything the drawing shows about one namespace.
type Model struct {
	// Namespace names what is drawn, as a sentence would: "root" (drawn
	// as "host"), "ns c1", "sandbox dockerlab".
	Namespace string
	Bridges   []Bridge
	// Loose are veths of this namespace that are not a port of any
	// bridge (a pair made but not yet attached, or both ends here).
	Loose []Port
	// Uplinks are the namespace's other devices (the host's eth0): the
	// way out that bridged traffic takes once the kernel routes it.
	Uplinks []Iface
	// IPForward is net.ipv4.ip_forward in this namespace, "?" if unknown.
	IPForward string
}

// Bridge is one bridge device and its ports.
type Bridge struct {
	Iface
	Ports []Port
}

// Port is one link enslaved to a bridge (or a loose veth).
type Port struct {
	Iface
	// Veth says the port is a veth, so it has a peer somewhere.
	Veth bool
	// Peer is the other end of the veth; nil when it was not found
	// (PeerIndex then says what we looked for).
	Peer      *Endpoint
	PeerIndex int
}

// Endpoint is the far end of a veth pair: a link inside a namespace.
type Endpoint struct {
	// Where says which namespace: "ns c1", "pid 4242 (web)", or
	// "same namespace" when both ends of the pair are here.
	Where string
	Iface
}

// Iface is a link's name, state and addresses ("172.17.0.2/16"; Build
// gives IPv4 only, as backend.Dump does).
type Iface struct {
	Name  string
	Up    bool
	Addrs []string
}
