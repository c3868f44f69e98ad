// Enable and Disable a link: both run the network driver's "link" job,
// with "-I" (insert the iptables ACCEPT rules) or "-D" (delete them).
//
// Upstream: links/links.go at v1.2.0 (Enable, Disable, toggle); the job is
// daemon/networkdriver/bridge LinkContainers (reference
// docs/upstream/v1.2.0.md §2.4, §3.1).
// Book: ch.12 §12.3.
package links

import "fmt"

// Enable inserts the rules; the link counts as enabled only if that worked.
func (l *Link) Enable() error {
	if err := l.toggle("-I", false); err != nil {
		return err
	}
	l.IsEnabled = true
	return nil
}

// Disable deletes the rules. Errors are ignored: the rules may already be
// gone (a daemon restart flushes the chain).
func (l *Link) Disable() {
	_ = l.toggle("-D", true)
	l.IsEnabled = false
}

// toggle runs `link <action>` with the job env the bridge driver reads:
// ParentIP, ChildIP, IgnoreErrors and Ports as "port/proto" strings.
func (l *Link) toggle(action string, ignoreErrors bool) error {
	if l.eng == nil {
		return fmt.Errorf("link %s: no engine to run the link job on", l.Name)
	}
	job := l.eng.Job("link", action)
	job.Setenv("ParentIP", l.ParentIP)
	job.Setenv("ChildIP", l.ChildIP)
	job.SetenvBool("IgnoreErrors", ignoreErrors)

	ports := make([]string, len(l.Ports))
	for i, p := range l.Ports {
		ports[i] = fmt.Sprintf("%s/%s", p.Port(), p.Proto())
	}
	if err := job.SetenvList("Ports", ports); err != nil {
		return err
	}
	return job.Run()
}
