// The validators behind `docker run`'s repeatable flags: each checks one
// value, may rewrite it, and gives upstream's message when it is wrong.
//
// Upstream: opts/opts.go at v1.2.0 (ValidateAttach, ValidateLink,
// ValidatePath, ValidateEnv, ValidateIPAddress, ValidateDnsSearch).
// Book: ch.7 §7.3.
package opts

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// ValidateAttach accepts stdin, stdout or stderr in any case and returns
// it in lower case (for `-a`).
func ValidateAttach(val string) (string, error) {
	s := strings.ToLower(val)
	switch s {
	case "stdin", "stdout", "stderr":
		return s, nil
	}
	return val, fmt.Errorf("valid streams are STDIN, STDOUT and STDERR.")
}

// ValidateLink wants exactly "name:alias" (for `--link`).
func ValidateLink(val string) (string, error) {
	if _, err := PartParser("name:alias", val); err != nil {
		return val, err
	}
	return val, nil
}

// ValidatePath checks a volume or device spec: "/container",
// "/host:/container" or "/host:/container:mode". The container side must be
// absolute and is cleaned ("/a/../b" becomes "/b").
func ValidatePath(val string) (string, error) {
	if strings.Count(val, ":") > 2 {
		return val, fmt.Errorf("bad format for volumes: %s", val)
	}
	var containerPath string
	if host, rest, ok := strings.Cut(val, ":"); ok {
		// rest may still carry ":ro"; Clean leaves that suffix alone, and
		// IsAbs only looks at the leading '/'.
		containerPath = rest
		val = host + ":" + filepath.Clean(rest)
	} else {
		containerPath = val
		val = filepath.Clean(val)
	}
	if !filepath.IsAbs(containerPath) {
		return val, fmt.Errorf("%s is not an absolute path", containerPath)
	}
	return val, nil
}

// ValidateEnv keeps "KEY=VALUE" as it is; a bare "KEY" takes its value from
// the client's own environment ("KEY=" when unset), as `-e HOME` does.
func ValidateEnv(val string) (string, error) {
	if strings.Contains(val, "=") {
		return val, nil
	}
	return val + "=" + os.Getenv(val), nil
}

// ValidateIPAddress accepts an IPv4 or IPv6 address (spaces around it are
// ignored) and returns its normal spelling (for `--dns`).
func ValidateIPAddress(val string) (string, error) {
	if ip := net.ParseIP(strings.TrimSpace(val)); ip != nil {
		return ip.String(), nil
	}
	return "", fmt.Errorf("%s is not an ip address", val)
}

// ValidateDnsSearch accepts a domain for resolv.conf's search line; "."
// alone means "no search domain".
func ValidateDnsSearch(val string) (string, error) {
	if val = strings.Trim(val, " "); val == "." {
		return val, nil
	}
	return validateDomain(val)
}

// A label is letters, digits and inner hyphens; a domain is labels joined
// by dots, with one optional dot and trailing spaces at the end.
// Divergence: upstream's pattern wrote "(:?" where it meant "(?:", so it
// also let a colon in before a label (":foo", "foo.:bar" passed); here
// they are refused.
var (
	hasLetter  = regexp.MustCompile(`[a-zA-Z]`)
	domainText = regexp.MustCompile(`^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*)\.?\s*$`)
)

// validateDomain returns the domain without its trailing dot. An all-digit
// name ("17") is refused: resolv.conf would read it as a number.
func validateDomain(val string) (string, error) {
	if !hasLetter.MatchString(val) {
		return "", fmt.Errorf("%s is not a valid domain", val)
	}
	if m := domainText.FindStringSubmatch(val); m != nil {
		return m[1], nil
	}
	return "", fmt.Errorf("%s is not a valid domain", val)
}
