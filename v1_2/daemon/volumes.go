// Volumes: host directories bound into a container (-v /host:/ctr[:ro]),
// data volumes the daemon makes (-v /ctr, or VOLUME in the image), and
// --volumes-from; then every mount the process will see.
//
// Upstream: daemon/volumes.go at v1.2.0 (Volume, prepareVolumesForContainer,
// setupMountsForContainer, applyVolumesFrom, parseBindVolumeSpec, getBindMap,
// createVolumes, createVolumeHostPath, initialize, createIfNotExists,
// copyExistingContents, copyOwnership).
// Book: ch.12 §12.4 steps 5 and 10.
// Notes: 001 (容器的创建: volumes).
//
// A data volume is an "image" of its own in the daemon's volumes graph
// (always the vfs driver), so its directory is <root>/vfs/dir/<id>: it
// outlives the container until `docker rm -v`.
package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
)

// Volume is one requested volume before it is set up.
type Volume struct {
	HostPath    string
	VolPath     string
	Mode        string // "rw" or "ro"
	isBindMount bool
}

func (v *Volume) isRw() bool {
	return v.Mode == "" || strings.ToLower(v.Mode) == "rw"
}

func (v *Volume) isDir() (bool, error) {
	fi, err := os.Stat(v.HostPath)
	if err != nil {
		return false, err
	}
	return fi.IsDir(), nil
}

// prepareVolumesForContainer is step 5: on the first start, take the
// volumes of --volumes-from; every start, set up -v and VOLUME.
func prepareVolumesForContainer(container *Container) error {
	if len(container.Volumes) == 0 {
		container.Volumes = make(map[string]string)
		container.VolumesRW = make(map[string]bool)
		if err := applyVolumesFrom(container); err != nil {
			return err
		}
	}
	return createVolumes(container)
}

// setupMountsForContainer is step 10: resolv.conf, hostname, hosts (each
// a private bind of the container's own file), then the volumes, in path
// order so a volume inside another is mounted after it.
func setupMountsForContainer(container *Container) error {
	mounts := []execdriver.Mount{
		{Source: container.ResolvConfPath, Destination: "/etc/resolv.conf", Writable: true, Private: true},
	}
	if container.HostnamePath != "" {
		mounts = append(mounts, execdriver.Mount{Source: container.HostnamePath, Destination: "/etc/hostname", Writable: true, Private: true})
	}
	if container.HostsPath != "" {
		mounts = append(mounts, execdriver.Mount{Source: container.HostsPath, Destination: "/etc/hosts", Writable: true, Private: true})
	}
	paths := make([]string, 0, len(container.Volumes))
	for p := range container.Volumes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		// Not private: a mount made later under a bound host directory
		// should show in the container too.
		mounts = append(mounts, execdriver.Mount{Source: container.Volumes[p], Destination: p, Writable: container.VolumesRW[p]})
	}
	container.command.Mounts = mounts
	return nil
}

// applyVolumesFrom copies the volumes of each --volumes-from container
// ("name" or "name:ro"/"name:rw").
func applyVolumesFrom(container *Container) error {
	for _, spec := range container.hostConfig.VolumesFrom {
		name, mode, hasMode := strings.Cut(spec, ":")
		mountRW := true
		if hasMode {
			switch mode {
			case "ro":
				mountRW = false
			case "rw":
			default:
				return fmt.Errorf("Malformed volumes-from specification: %s", spec)
			}
		}
		c := container.daemon.Get(name)
		if c == nil {
			return fmt.Errorf("Container %s not found. Impossible to mount its volumes", name)
		}
		if err := c.Mount(); err != nil {
			return fmt.Errorf("Container %s failed to mount. Impossible to mount its volumes", name)
		}
		err := copyVolumesOf(container, c, mountRW)
		c.Unmount()
		if err != nil {
			return err
		}
	}
	return nil
}

func copyVolumesOf(container, from *Container, mountRW bool) error {
	for volPath, hostPath := range from.Volumes {
		if _, exists := container.Volumes[volPath]; exists {
			continue
		}
		container.Volumes[volPath] = hostPath
		if rw, ok := from.VolumesRW[volPath]; ok {
			container.VolumesRW[volPath] = rw && mountRW
		}
	}
	return nil
}

// parseBindVolumeSpec reads "/ctr", "/host:/ctr" or "/host:/ctr:ro".
func parseBindVolumeSpec(spec string) (Volume, error) {
	parts := strings.Split(spec, ":")
	vol := Volume{isBindMount: true, Mode: "rw"}
	switch len(parts) {
	case 1:
		vol.VolPath = spec
	case 2:
		vol.HostPath, vol.VolPath = parts[0], parts[1]
	case 3:
		vol.HostPath, vol.VolPath, vol.Mode = parts[0], parts[1], parts[2]
	default:
		return vol, fmt.Errorf("Invalid volume specification: %s", spec)
	}
	if vol.Mode != "rw" && vol.Mode != "ro" {
		return vol, fmt.Errorf("Invalid volume specification: %s: the mode must be ro or rw", spec)
	}
	if !filepath.IsAbs(vol.HostPath) {
		return vol, fmt.Errorf("cannot bind mount volume: %s volume paths must be absolute.", vol.HostPath)
	}
	return vol, nil
}

// getBindMap is -v's binds by container path.
func getBindMap(container *Container) (map[string]Volume, error) {
	volumes := map[string]Volume{}
	for _, bind := range container.hostConfig.Binds {
		vol, err := parseBindVolumeSpec(bind)
		if err != nil {
			return nil, err
		}
		if vol.VolPath == "/" || vol.VolPath == "." {
			return nil, fmt.Errorf("Illegal bind destination: %s", vol.VolPath)
		}
		volumes[filepath.Clean(vol.VolPath)] = vol
	}
	return volumes, nil
}

// createVolumes sets up every bind and every data volume not yet set up.
func createVolumes(container *Container) error {
	volumes, err := getBindMap(container)
	if err != nil {
		return err
	}
	for volPath := range container.Config.Volumes {
		if _, exists := volumes[filepath.Clean(volPath)]; !exists {
			volumes[filepath.Clean(volPath)] = Volume{VolPath: volPath, Mode: "rw"}
		}
	}
	paths := make([]string, 0, len(volumes))
	for p := range volumes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		vol := volumes[p]
		if err := vol.initialize(container); err != nil {
			return err
		}
	}
	return nil
}

// createVolumeHostPath makes a new, empty data volume and returns its
// directory.
func createVolumeHostPath(container *Container) (string, error) {
	volumes := container.daemon.volumes
	img, err := volumes.Create(nil, "", "", "", "", nil, nil)
	if err != nil {
		return "", err
	}
	dir, err := volumes.Driver().Get(img.ID, "")
	if err != nil {
		return "", fmt.Errorf("Driver %s failed to get volume rootfs %s: %s", volumes.Driver(), img.ID, err)
	}
	return dir, nil
}

// initialize sets up one volume: its host directory (made for a data
// volume), the mount point inside the rootfs, and for a new writable
// data volume a copy of what the image had at that path.
func (v *Volume) initialize(container *Container) error {
	v.VolPath = filepath.Clean(v.VolPath)
	if _, exists := container.Volumes[v.VolPath]; exists {
		return nil
	}
	var err error
	if !v.isBindMount {
		if v.HostPath, err = createVolumeHostPath(container); err != nil {
			return err
		}
	}
	hostPath, err := filepath.EvalSymlinks(v.HostPath)
	if err != nil {
		return err
	}
	fullVolPath, err := container.getResourcePath(v.VolPath)
	if err != nil {
		return err
	}
	container.Volumes[v.VolPath] = hostPath
	container.VolumesRW[v.VolPath] = v.isRw()

	isDir, err := v.isDir()
	if err != nil {
		return err
	}
	if err := createIfNotExists(fullVolPath, isDir); err != nil {
		return err
	}
	if v.isRw() && !v.isBindMount {
		return copyExistingContents(fullVolPath, hostPath)
	}
	return nil
}

// createIfNotExists makes the mount point: a directory, or an empty file
// for a file bound over a file.
func createIfNotExists(destination string, isDir bool) error {
	if _, err := os.Stat(destination); err == nil || !os.IsNotExist(err) {
		return nil
	}
	if isDir {
		return os.MkdirAll(destination, 0o755)
	}
	if err := os.MkdirAll(filepath.Dir(destination), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(destination, os.O_CREATE, 0o755)
	if err != nil {
		return err
	}
	return f.Close()
}

// copyExistingContents fills an empty new volume with what the image had
// at its path (a VOLUME /data of an image with files in /data), then
// gives it that directory's owner and mode.
func copyExistingContents(source, destination string) error {
	srcList, err := os.ReadDir(source)
	if err != nil {
		return err
	}
	if len(srcList) > 0 {
		dstList, err := os.ReadDir(destination)
		if err != nil {
			return err
		}
		if len(dstList) == 0 {
			tar, err := archive.Tar(source, archive.Uncompressed)
			if err != nil {
				return err
			}
			err = archive.Untar(tar, destination)
			tar.Close()
			if err != nil {
				return err
			}
		}
	}
	return copyOwnership(source, destination)
}

// copyOwnership gives destination source's uid, gid and mode. Changing
// the owner needs root; without it (the fake backend as a user) only the
// mode is copied.
func copyOwnership(source, destination string) error {
	fi, err := os.Stat(source)
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
		if err := os.Chown(destination, int(st.Uid), int(st.Gid)); err != nil {
			return err
		}
	}
	return os.Chmod(destination, fi.Mode().Perm())
}
