// Package opts holds Docker 1.2.0's command-line value types and the
// validators the `run` flags pass every value through.
//
// Upstream: opts/opts.go at v1.2.0, opts/ip.go at v1.2.0, opts/envfile.go at
// v1.2.0, pkg/parsers/parsers.go at v1.2.0 (PartParser, ParseKeyValueOpt: the
// two helpers they use).
// Book: ch.7 §7.3 (Client配置: every `-e`, `-v`, `--link` of CmdRun is a
// ListOpts with a validator).
//
// Divergence: upstream registered values on its own flag package (mflag, with
// names like "#dns" and "-dns"); here they are Go's flag.Value and register
// on flag.CommandLine under each name with the "#"/"-" marks removed.
package opts
