// The dockerinit side of the native driver: the argv the parent starts
// it with, and where its work happens in dockerlab.
//
// Upstream: daemon/execdriver/native/init.go at v1.2.0 (the initializer
// registered with reexec under the name "native"),
// daemon/execdriver/native/driver.go at v1.2.0 (createCommand). See
// docs/upstream/v1.2.0.md §5.2 step 5 and §5.4.
// Book: ch.13 §13.2–13.4 (dockerinit与Daemon, 入口, reexec.Init() and 执行流程).
//
// Upstream, the daemon started <root>/init/dockerinit-1.2.0 with
//
//	native -console <pty slave> -pipe 3 -root <root>/<id> -- <entrypoint> <args>
//
// and cloned it into the new namespaces; reexec.Init() saw argv[0]
// "native" and ran the initializer, which read container.json from
// -root, waited on the sync pipe (fd 3), set up eth0, mounts, pivot_root,
// the hostname and the user, and exec'd the entrypoint.
//
// dockerlab's decision (docs/divergences.md, chapters/13-dockerinit): the
// native driver computes exactly that argv and writes container.json to
// -root, and the backend's init runs under it (ProcSpec.InitName "native",
// ProcSpec.InitArgs the rest): backend/linux re-executes the dockerlab
// binary through internal/reexec with argv[0] "native", which it
// registered for its init, so `ps` shows the argv above until the init
// execs the entrypoint; the fake shows it in its process table for the
// same moment. But the work dockerinit did inside — reading
// container.json, mounts, pivot_root, hostname, user — is the backend's
// init's, from the ProcSpec (v1_2 reaches the kernel only through
// backend): it does not parse -console, -pipe or -root. The argv is also
// recorded in state.json ("init_path", "init_args").
package native

// InitArgs is the argv upstream's parent gave dockerinit: console is the
// pty slave's path ("" without -t), dataPath the container's directory
// under the driver's root.
func InitArgs(console, dataPath, entrypoint string, args []string) []string {
	argv := []string{DriverName, "-console", console, "-pipe", "3", "-root", dataPath, "--", entrypoint}
	return append(argv, args...)
}
