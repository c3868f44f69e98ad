// The daemon's configuration and the command-line flags that fill it.
//
// Upstream: daemon/config.go at v1.2.0 (Config, InstallFlags,
// GetDefaultNetworkMtu). See docs/upstream/v1.2.0.md §2.1 "Daemon flags".
// Book: ch.3 §3.3.1 配置初始化 and ch.4 §4.3 配置Docker Daemon.
// Notes: 000 "配置Docker Daemon".
package daemon

import (
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver"
)

const (
	defaultNetworkMtu = 1500
	// DisableNetworkBridge as -b's value turns container networking off.
	DisableNetworkBridge = "none"
)

// Config is what NewDaemon is told. The fields down to Context are
// upstream's; the rest are dockerlab's.
type Config struct {
	Pidfile                     string
	Root                        string
	AutoRestart                 bool
	Dns                         []string
	DnsSearch                   []string
	EnableIptables              bool
	EnableIpForward             bool
	DefaultIp                   net.IP
	BridgeIface                 string
	BridgeIP                    string
	InterContainerCommunication bool
	GraphDriver                 string
	GraphOptions                []string
	ExecDriver                  string
	Mtu                         int
	DisableNetwork              bool
	EnableSelinuxSupport        bool
	Context                     map[string][]string

	// Host is the machine the daemon works on (the backend seam:
	// docs/design.md "The backend"). Required.
	Host backend.Host
	// Trace, when set, is told each step of NewDaemon as it happens
	// (dockerlab's --trace; see daemon_trace.go).
	Trace Tracer
	// LoopbackForward: on the linux backend in a sandbox namespace, each
	// published port also answers on the VM's own 127.0.0.1
	// (--loopback-forward; portmapper/loopback.go).
	LoopbackForward bool
	// defaultIP is --ip as typed, parsed by InstallFlags' caller via
	// ParseDefaultIP.
	defaultIP string
}

// InstallFlags adds Docker 1.2's daemon flags to flags, with dockerlab's
// defaults for the paths (DefaultRoot, DefaultPidfile).
func (config *Config) InstallFlags(flags *pflag.FlagSet) {
	flags.StringVarP(&config.Pidfile, "pidfile", "p", DefaultPidfile(), "Path to use for daemon PID file")
	flags.StringVarP(&config.Root, "graph", "g", DefaultRoot(), "Path to use as the root of the Docker runtime")
	flags.BoolVarP(&config.AutoRestart, "restart", "r", true, "--restart on the daemon has been deprecated infavor of --restart policies on docker run")
	flags.MarkDeprecated("restart", "use --restart policies on docker run")
	flags.BoolVar(&config.EnableIptables, "iptables", true, "Enable Docker's addition of iptables rules")
	flags.BoolVar(&config.EnableIpForward, "ip-forward", true, "Enable net.ipv4.ip_forward")
	flags.StringVar(&config.BridgeIP, "bip", "", "Use this CIDR notation address for the network bridge's IP, not compatible with -b")
	flags.StringVarP(&config.BridgeIface, "bridge", "b", "", "Attach containers to a pre-existing network bridge\nuse 'none' to disable container networking")
	flags.BoolVar(&config.InterContainerCommunication, "icc", true, "Enable inter-container communication")
	flags.StringVarP(&config.GraphDriver, "storage-driver", "s", "", "Force the Docker runtime to use a specific storage driver")
	flags.StringVarP(&config.ExecDriver, "exec-driver", "e", "native", "Force the Docker runtime to use a specific exec driver")
	flags.BoolVar(&config.EnableSelinuxSupport, "selinux-enabled", false, "Enable selinux support. SELinux does not presently support the BTRFS storage driver (refused by dockerlab)")
	flags.IntVar(&config.Mtu, "mtu", 0, "Set the containers network MTU\nif no value is provided: default to the default route MTU or 1500 if no default route is available")
	flags.StringVar(&config.defaultIP, "ip", "0.0.0.0", "Default IP address to use when binding container ports")
	flags.StringArrayVar(&config.GraphOptions, "storage-opt", nil, "Set storage driver options")
	flags.StringArrayVar(&config.Dns, "dns", nil, "Force Docker to use specific DNS servers")
	flags.StringArrayVar(&config.DnsSearch, "dns-search", nil, "Force Docker to use specific DNS search domains")
	flags.BoolVar(&config.LoopbackForward, "loopback-forward", true, "dockerlab, linux backend in a sandbox: a published port also answers on this machine's 127.0.0.1 (only loopback; no iptables rule of the machine)")
}

// Validate checks what the flags cannot: --ip is an address, each --dns
// is an address, each --dns-search a domain (upstream's opts.ValidateIPAddress
// and opts.ValidateDnsSearch). It fills DefaultIp.
func (config *Config) Validate() error {
	ipText := config.defaultIP
	if ipText == "" && config.DefaultIp == nil {
		ipText = "0.0.0.0"
	}
	if ipText != "" {
		ip := net.ParseIP(ipText)
		if ip == nil {
			return fmt.Errorf("invalid --ip %q: not an IP address", ipText)
		}
		config.DefaultIp = ip
	}
	for _, d := range config.Dns {
		if net.ParseIP(d) == nil {
			return fmt.Errorf("%s is not an ip address", d)
		}
	}
	for _, s := range config.DnsSearch {
		if s == "." {
			continue
		}
		if s == "" || len(s) > 255 || s[0] == '.' || s[len(s)-1] == '.' {
			return fmt.Errorf("%s is not a valid domain", s)
		}
	}
	if config.Mtu < 0 {
		return fmt.Errorf("invalid --mtu %d: must be positive (0 means the default route's MTU)", config.Mtu)
	}
	return nil
}

// GetDefaultNetworkMtu is the MTU of the link the default route leaves
// by, or 1500 without one. The second result names where it came from.
func GetDefaultNetworkMtu() (int, string) {
	iface, err := networkdriver.GetDefaultRouteIface()
	if err != nil {
		return defaultNetworkMtu, fmt.Sprintf("no default route (%v): the default %d", err, defaultNetworkMtu)
	}
	return iface.MTU, "default route interface " + iface.Name
}

// DefaultRoot is -g's default: /var/lib/dockerlab/v1.2 as root (never
// /var/lib/docker, so a real Docker on the machine is left alone), a
// directory of the user's otherwise (the fake backend needs no root).
func DefaultRoot() string {
	if os.Geteuid() == 0 {
		return "/var/lib/dockerlab/v1.2"
	}
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "dockerlab", "v1.2")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "dockerlab", "v1.2")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("dockerlab-%d", os.Getuid()), "v1.2", "lib")
}

// DefaultRunDir holds the socket and the pid file: /run/dockerlab/v1.2 as
// root, the user's runtime directory otherwise.
func DefaultRunDir() string {
	if os.Geteuid() == 0 {
		return "/run/dockerlab/v1.2"
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		return filepath.Join(dir, "dockerlab", "v1.2")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("dockerlab-%d", os.Getuid()), "v1.2")
}

// DefaultPidfile is -p's default.
func DefaultPidfile() string { return filepath.Join(DefaultRunDir(), "docker.pid") }
