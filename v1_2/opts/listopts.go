// ListOpts: a repeatable flag ("-e A=1 -e B=2") that keeps every value in
// order and checks each one as it arrives.
//
// Upstream: opts/opts.go at v1.2.0 (ListOpts, NewListOpts, ListVar,
// IPListVar, DnsSearchListVar, IPVar).
// Book: ch.7 §7.3.
package opts

import (
	"flag"
	"fmt"
	"net"
	"strings"
)

// ValidatorFctType checks one value and may rewrite it (ValidateEnv fills
// in "KEY=" from the client's environment, ValidateIPAddress normalizes).
type ValidatorFctType func(val string) (string, error)

// ListOpts collects the values of a flag given many times.
type ListOpts struct {
	values    *[]string
	validator ValidatorFctType
}

// NewListOpts makes an empty list; validator may be nil (anything goes).
func NewListOpts(validator ValidatorFctType) ListOpts {
	var values []string
	return *newListOptsRef(&values, validator)
}

// newListOptsRef makes a list that writes into a slice the caller owns,
// which is how the daemon's global flags fill their config fields.
func newListOptsRef(values *[]string, validator ValidatorFctType) *ListOpts {
	return &ListOpts{values: values, validator: validator}
}

// String prints the values as Go prints a slice, e.g. "[a b]". The flag
// package's usage calls it on a zero ListOpts too (to tell a default from
// none), so a list without its slice prints as an empty one.
func (opts *ListOpts) String() string {
	if opts == nil || opts.values == nil {
		return "[]"
	}
	return fmt.Sprintf("%v", *opts.values)
}

// Set is called by the flag parser once per occurrence of the flag.
func (opts *ListOpts) Set(value string) error {
	if opts.validator != nil {
		v, err := opts.validator(value)
		if err != nil {
			return err
		}
		value = v
	}
	*opts.values = append(*opts.values, value)
	return nil
}

// Delete removes the first value equal to key (parse uses it to move bind
// mounts out of the volume list).
func (opts *ListOpts) Delete(key string) {
	for i, k := range *opts.values {
		if k == key {
			*opts.values = append((*opts.values)[:i], (*opts.values)[i+1:]...)
			return
		}
	}
}

// GetMap returns the values as a set, so duplicates collapse.
func (opts *ListOpts) GetMap() map[string]struct{} {
	set := make(map[string]struct{}, len(*opts.values))
	for _, k := range *opts.values {
		set[k] = struct{}{}
	}
	return set
}

// GetAll returns the values in the order they were given (nil if none).
func (opts *ListOpts) GetAll() []string {
	return *opts.values
}

// Get reports whether key was given.
func (opts *ListOpts) Get(key string) bool {
	for _, k := range *opts.values {
		if k == key {
			return true
		}
	}
	return false
}

// Len is the number of values given.
func (opts *ListOpts) Len() int {
	return len(*opts.values)
}

// flagNames turns upstream's mflag spellings ("#dns", "-dns", "d") into the
// plain names Go's flag package wants, without repeats. Go's flag package
// accepts both "-name" and "--name" for every name, so one name covers
// what mflag needed two entries for.
func flagNames(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimLeft(n, "#-")
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// varOn registers value on fs under every name.
func varOn(fs *flag.FlagSet, value flag.Value, names []string, usage string) {
	for _, n := range flagNames(names) {
		fs.Var(value, n, usage)
	}
}

// ListVar registers a repeatable string flag on the process's flag set
// (the daemon's -G-style globals, e.g. --dns).
func ListVar(values *[]string, names []string, usage string) {
	varOn(flag.CommandLine, newListOptsRef(values, nil), names, usage)
}

// IPListVar is ListVar whose values must be IP addresses.
func IPListVar(values *[]string, names []string, usage string) {
	varOn(flag.CommandLine, newListOptsRef(values, ValidateIPAddress), names, usage)
}

// DnsSearchListVar is ListVar whose values must be search domains.
func DnsSearchListVar(values *[]string, names []string, usage string) {
	varOn(flag.CommandLine, newListOptsRef(values, ValidateDnsSearch), names, usage)
}

// IPVar registers a single IP address flag (the daemon's --ip).
func IPVar(value *net.IP, names []string, defaultValue, usage string) {
	varOn(flag.CommandLine, NewIpOpt(value, defaultValue), names, usage)
}
