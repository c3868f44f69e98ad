// IPTables: the netfilter face of a namespace, shaped like
// coreos/go-iptables (reference docs/kernels.md §2), plus
// Raw for the argv Docker itself ran: 0.1.0's PortMapper and 1.2.0's
// pkg/iptables.Raw both exec'd /sbin/iptables with a literal argument list.
package backend

// The tables and builtin chains the backends provide.
const (
	TableNat    = "nat"
	TableFilter = "filter"
)

// BuiltinChains lists, per table, the builtin chains in the order
// iptables-save prints them.
var BuiltinChains = map[string][]string{
	TableNat:    {"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"},
	TableFilter: {"INPUT", "FORWARD", "OUTPUT"},
}

// IPTables mirrors go-iptables' *IPTables methods with the same semantics
// (Exists on a missing chain is false, nil; Delete removes the first match;
// DeleteChain of a builtin, non-empty or referenced chain fails with ErrBusy
// or ErrInvalid; ClearChain creates or flushes). Rule specs are argv
// fragments such as {"-p", "tcp", "--dport", "80", "-j", "DNAT", ...}.
type IPTables interface {
	Exists(table, chain string, rulespec ...string) (bool, error)
	Insert(table, chain string, pos int, rulespec ...string) error
	Append(table, chain string, rulespec ...string) error
	AppendUnique(table, chain string, rulespec ...string) error
	Delete(table, chain string, rulespec ...string) error
	List(table, chain string) ([]string, error) // `iptables -S CHAIN`: "-P"/"-N" line, then "-A" lines, canonical form
	ListChains(table string) ([]string, error)  // builtins first, then user chains
	ChainExists(table, chain string) (bool, error)
	NewChain(table, chain string) error
	ClearChain(table, chain string) error
	DeleteChain(table, chain string) error
	ChangePolicy(table, chain, target string) error

	// Raw runs one iptables command line (without the program name), e.g.
	// {"-t", "nat", "-A", "DOCKER", "-p", "tcp", ...}, and returns what
	// iptables printed on stdout. Errors are the same as the methods above.
	Raw(args ...string) ([]byte, error)

	// Save returns the tables nat and filter in iptables-save format,
	// without comments and counters ("[0:0]"), rules in canonical form
	// (`-p tcp -m tcp --dport 80`, `-d 10.0.0.1/32`).
	Save() (string, error)
}
