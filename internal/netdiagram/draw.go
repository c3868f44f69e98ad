// Draw: a Model as ASCII art, one picture per bridge (note 000
// "Docker网络桥接 bridge模式"; book ch.7 §7.2 bridge模式). Top to bottom, as in the
// note: the namespaces at the far end of each veth, the veth pair, the
// bridge, then the route out through ip_forward to the uplink device.
//
//	+--------------------+ +--------------------+
//	| ns c1              | | pid 42 (web)       |
//	| eth0 172.17.0.2/16 | | eth0 172.17.0.3/16 |
//	+----------+---------+ +----------+---------+
//	           |                      |
//	         vethA                  vethB
//	           |                      |
//	+----------+----------------------+---------+
//	|          docker0 172.17.42.1/16           |
//	+---------------------+---------------------+
//	                      | ip_forward=1
//	           host eth0 10.0.2.15/24
//
// The output depends only on the Model, so it is deterministic.
package netdiagram

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

const gap = 1 // blank columns between two namespace boxes

// Draw renders m.
func Draw(m Model) string {
	var b strings.Builder
	for i, br := range m.Bridges {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(drawBridge(br, m))
	}
	if len(m.Bridges) == 0 {
		fmt.Fprintf(&b, "no bridge in %s (ip_forward=%s)\n", where(m), m.IPForward)
		for _, l := range uplinkLines(m) {
			b.WriteString("  " + l + "\n")
		}
	}
	if len(m.Loose) > 0 {
		b.WriteString("\nveths on no bridge:\n")
		for _, p := range m.Loose {
			fmt.Fprintf(&b, "  %s <-> %s\n", portLabel(p), strings.Join(peerLines(p), ": "))
		}
	}
	return b.String()
}

// drawBridge draws one bridge with a column per port.
func drawBridge(br Bridge, m Model) string {
	var c canvas

	// Lay the columns out left to right: each is as wide as its box or
	// its port's name, whichever is wider.
	type column struct {
		lines      []string
		label      string
		boxX, boxW int
		mid        int // the column where the veth line runs
	}
	cols := make([]column, len(br.Ports))
	boxH := 0
	x := 0
	for i, p := range br.Ports {
		col := column{lines: peerLines(p), label: portLabel(p)}
		col.boxW = widest(col.lines) + 4
		colW := max(col.boxW, width(col.label))
		col.boxX = x + (colW-col.boxW)/2
		col.mid = col.boxX + col.boxW/2
		boxH = max(boxH, len(col.lines)+2)
		cols[i] = col
		x += colW + gap
	}
	portsW := max(x-gap, 0)

	// Row 0..boxH-1: the namespace boxes, all as high as the tallest.
	for _, col := range cols {
		c.box(col.boxX, 0, col.boxW, boxH)
		for j, l := range col.lines {
			c.put(col.boxX+2, 1+j, l)
		}
		c.set(col.mid, boxH-1, '+')
	}

	// The veth pair: a line, the bridge-side name, a line.
	y := boxH
	if len(cols) > 0 {
		for _, col := range cols {
			c.set(col.mid, y, '|')
			lx := col.mid - width(col.label)/2
			c.put(max(lx, 0), y+1, col.label)
			c.set(col.mid, y+2, '|')
		}
		y += 3
	}

	// The bridge, as wide as everything above it.
	label := bridgeLabel(br)
	bw := max(portsW, width(label)+4)
	c.box(0, y, bw, 3)
	c.put((bw-width(label))/2, y+1, label)
	for _, col := range cols {
		c.set(col.mid, y, '+')
	}
	mid := bw / 2
	c.set(mid, y+2, '+')

	// The way out: the kernel routes from the bridge to the uplink only
	// when ip_forward is 1 (what Docker's EnableIpForward flag ensures).
	c.put(mid, y+3, "| ip_forward="+m.IPForward)
	for i, l := range uplinkLines(m) {
		c.put(max(mid-width(l)/2, 0), y+4+i, l)
	}
	return c.String()
}

// peerLines is what a namespace box holds: where, then the link.
func peerLines(p Port) []string {
	switch {
	case !p.Veth:
		return []string{"(not a veth)"}
	case p.Peer == nil:
		return []string{"peer not found", fmt.Sprintf("(ifindex %d)", p.PeerIndex)}
	}
	return append([]string{p.Peer.Where}, ifaceLines(p.Peer.Iface)...)
}

// ifaceLines: "eth0 172.17.0.2/16", one line per address, later ones
// aligned under the first.
func ifaceLines(i Iface) []string {
	name := i.Name
	if !i.Up {
		name += " (down)"
	}
	if len(i.Addrs) == 0 {
		return []string{name}
	}
	lines := []string{name + " " + i.Addrs[0]}
	pad := strings.Repeat(" ", width(name)+1)
	for _, a := range i.Addrs[1:] {
		lines = append(lines, pad+a)
	}
	return lines
}

func portLabel(p Port) string {
	if !p.Up {
		return p.Name + " (down)"
	}
	return p.Name
}

func bridgeLabel(br Bridge) string {
	parts := append([]string{br.Name}, br.Addrs...)
	if !br.Up {
		parts = append(parts, "(down)")
	}
	if len(br.Ports) == 0 {
		parts = append(parts, "(no ports)")
	}
	return strings.Join(parts, " ")
}

// uplinkLines names the devices traffic leaves by: "host eth0 10.0.2.15/24"
// in the root namespace, as note 000 draws it.
func uplinkLines(m Model) []string {
	owner := m.Namespace
	if isRoot(m) {
		owner = "host"
	}
	if len(m.Uplinks) == 0 {
		return []string{"(" + owner + " has no uplink device)"}
	}
	var lines []string
	for _, u := range m.Uplinks {
		l := owner + " " + u.Name
		if !u.Up {
			l += " (down)"
		}
		for _, a := range u.Addrs {
			l += " " + a
		}
		lines = append(lines, l)
	}
	return lines
}

func widest(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, width(l))
	}
	return w
}

// width counts runes: namespace names and hostnames are ASCII in practice,
// and a rune count keeps a stray UTF-8 name from breaking the boxes.
func width(s string) int { return utf8.RuneCountInString(s) }

func isRoot(m Model) bool { return m.Namespace == "root" || m.Namespace == "" }

// where names the drawn namespace in a sentence.
func where(m Model) string {
	if isRoot(m) {
		return "the root namespace"
	}
	return m.Namespace
}
