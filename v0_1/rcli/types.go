// Package rcli reproduces Docker 0.1.0's "remote command-line interface":
// the client sends its argv as one JSON line over TCP, the daemon finds a
// method named Cmd<Name> on its Service by reflection and runs it with the
// rest of the connection as stdin and the connection itself as stdout.
//
// Upstream: rcli/types.go at v0.1.0 (Service, Cmd, LocalCall, getMethod,
// Subcmd). See docs/upstream/v0.1.0.md §4 "Dispatch".
// Notes: 002 "command" → "local call" (parse the arguments, name the
// method, find it by reflection, call it).
package rcli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"reflect"
	"sort"
	"strings"
)

// Service is what a daemon offers over rcli. Besides Name and Help, every
// exported method with the Cmd signature below and a name "Cmd" + Title
// is a command (CmdVersion answers "version").
type Service interface {
	Name() string
	Help() string
}

// Cmd is the signature of one command: stdin is what the client sends
// after its JSON line, stdout goes straight back to the client.
type Cmd func(stdin io.ReadCloser, stdout io.Writer, args ...string) error

// CmdMethod is the same as a method expression (Service first). Upstream
// declared it and never used it; it is kept so the names match the book.
type CmdMethod func(service Service, stdin io.ReadCloser, stdout io.Writer, args ...string) error

// call is the name Serve used in 0.1.0; it was already only an alias.
func call(service Service, stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return LocalCall(service, stdin, stdout, args...)
}

// LocalCall runs one command line against service in this process. The
// daemon calls it for every connection, and the 0.1.0 client called it
// directly when no daemon answered on 127.0.0.1:4242.
//
// The argv first goes through an empty "main" flag set, so "-x" before the
// command name is refused with the flag package's own message followed by
// the service's help, as in 0.1.0.
func LocalCall(service Service, stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	if len(args) == 0 {
		args = []string{"help"}
	}
	flags := flag.NewFlagSet("main", flag.ContinueOnError)
	flags.SetOutput(stdout)
	flags.Usage = func() { io.WriteString(stdout, service.Help()) }
	if err := flags.Parse(args); err != nil {
		return err
	}
	// 0.1.0 sliced flags.Args()[1:] here even when "--" had left nothing,
	// which panicked and took the daemon down (reference §9.1). An empty
	// command is "help", as upstream meant.
	rest := flags.Args()
	cmd := "help"
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	if cmd == "" {
		cmd = "help"
	}
	log.Printf("%s", strings.Join(append([]string{service.Name(), cmd}, rest...), " "))
	method := getMethod(service, cmd)
	if method == nil {
		return errors.New("No such command: " + cmd)
	}
	return method(stdin, stdout, rest...)
}

// getMethod finds the command called name. "help" is built in: alone it
// prints the service's help, with a command name it runs that command
// with "--help" and ignores what the command returns (so a command whose
// usage goes nowhere prints nothing, as `docker help run` did).
//
// Any other name becomes "Cmd" + its first letter upper-cased + the rest
// lower-cased, which is why commands are case-insensitive ("VERSION" finds
// CmdVersion) and why a method such as CmdSetupBridge can never be reached.
func getMethod(service Service, name string) Cmd {
	if name == "help" {
		return func(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
			if len(args) == 0 {
				io.WriteString(stdout, service.Help())
				return nil
			}
			method := getMethod(service, args[0])
			if method == nil {
				return errors.New("No such command: " + args[0])
			}
			method(stdin, stdout, "--help")
			return nil
		}
	}
	//lab:begin ch00.rcli-dispatch
	//lab:stub return func(io.ReadCloser, io.Writer, ...string) error { return lab.TODO("ch00.rcli-dispatch") }
	if name == "" {
		return nil
	}
	methodName := "Cmd" + strings.ToUpper(name[:1]) + strings.ToLower(name[1:])
	value := reflect.ValueOf(service).MethodByName(methodName)
	if !value.IsValid() {
		return nil
	}
	// Upstream called the method with reflect's CallSlice, which panics
	// when a Cmd-named method has another signature. Converting to the
	// function type first turns that case into "No such command".
	method, ok := value.Interface().(func(io.ReadCloser, io.Writer, ...string) error)
	if !ok {
		return nil
	}
	return method
	//lab:end ch00.rcli-dispatch
}

// Commands lists the names the service answers, lower case and sorted
// ("help" included). Not upstream: the dockerlab client uses it to refuse
// an unknown command, with a suggestion, before it builds a runtime (the
// 2013 client built the runtime first, so a typo with no daemon running
// failed on the network set-up instead).
func Commands(service Service) []string {
	names := []string{"help"}
	t := reflect.TypeOf(service)
	for i := 0; i < t.NumMethod(); i++ {
		m := t.Method(i).Name
		if rest, ok := strings.CutPrefix(m, "Cmd"); ok && rest != "" {
			if name := strings.ToLower(rest); getMethod(service, name) != nil {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// Subcmd makes the flag set of one command. Its usage text is
// "\nUsage: docker NAME SIGNATURE\n\nDESCRIPTION\n\n" followed by the
// flags. The flag lines are today's flag package format ("  -a\tShow…");
// Go 1.0 printed "  -a=false: Show…" (reference §4).
func Subcmd(output io.Writer, name, signature, description string) *flag.FlagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(output)
	flags.Usage = func() {
		fmt.Fprintf(output, "\nUsage: docker %s %s\n\n%s\n\n", name, signature, description)
		flags.PrintDefaults()
	}
	return flags
}
