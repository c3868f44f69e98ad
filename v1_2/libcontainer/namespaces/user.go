// LookupUser: `docker run -u` — "uid", "uid:gid", "name" or "name:group",
// names looked up in the container's own /etc/passwd and /etc/group, never
// the machine's.
//
// Upstream: vendor/src/github.com/docker/libcontainer/namespaces/init.go at
// v1.2.0 (SetupUser), vendor/src/github.com/docker/libcontainer/user/user.go
// at v1.2.0 (GetUserGroupSupplementaryHome).
// Book: ch.13 §13.5 (执行Entrypoint: the last step before exec drops to the
// user).
package namespaces

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// User is who the container's process runs as.
type User struct {
	Uid, Gid int
	Groups   []int // supplementary groups from /etc/group
}

// LookupUser resolves spec inside rootfs.
func LookupUser(rootfs, spec string) (User, error) {
	name, group, hasGroup := strings.Cut(spec, ":")
	if name == "" {
		return User{}, fmt.Errorf("user %q: no user before the colon", spec)
	}
	passwd := readColonFile(rootfs, "etc/passwd")
	groups := readColonFile(rootfs, "etc/group")

	var u User
	userName := ""
	if uid, err := strconv.Atoi(name); err == nil {
		if uid < 0 {
			return User{}, fmt.Errorf("user %q: negative uid", spec)
		}
		u.Uid = uid
		u.Gid = uid // Docker 1.2 used the uid as gid for an unknown numeric user
		for _, f := range passwd {
			if len(f) >= 4 && f[2] == name {
				userName = f[0]
				u.Gid, _ = strconv.Atoi(f[3])
				break
			}
		}
	} else {
		found := false
		for _, f := range passwd {
			if len(f) >= 4 && f[0] == name {
				uid, err1 := strconv.Atoi(f[2])
				gid, err2 := strconv.Atoi(f[3])
				if err1 != nil || err2 != nil {
					return User{}, fmt.Errorf("user %q: bad line in /etc/passwd: %s", spec, strings.Join(f, ":"))
				}
				u.Uid, u.Gid, userName, found = uid, gid, name, true
				break
			}
		}
		if !found {
			return User{}, fmt.Errorf("Unable to find user %s: no matching entries in passwd file", name)
		}
	}
	if hasGroup {
		if gid, err := strconv.Atoi(group); err == nil && gid >= 0 {
			u.Gid = gid
		} else {
			found := false
			for _, f := range groups {
				if len(f) >= 3 && f[0] == group {
					if gid, err := strconv.Atoi(f[2]); err == nil {
						u.Gid, found = gid, true
					}
					break
				}
			}
			if !found {
				return User{}, fmt.Errorf("Unable to find group %s: no matching entries in group file", group)
			}
		}
	}
	if userName != "" {
		for _, f := range groups {
			if len(f) < 4 {
				continue
			}
			for _, member := range strings.Split(f[3], ",") {
				if member == userName {
					if gid, err := strconv.Atoi(f[2]); err == nil && gid != u.Gid {
						u.Groups = append(u.Groups, gid)
					}
				}
			}
		}
	}
	return u, nil
}

// readColonFile reads a passwd-style file inside rootfs through os.Root,
// so a symlink in the image cannot make us read a file of the machine. A
// missing file reads as empty.
func readColonFile(rootfs, name string) [][]string {
	root, err := os.OpenRoot(rootfs)
	if err != nil {
		return nil
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Split(line, ":"))
	}
	return out
}
