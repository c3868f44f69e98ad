// Mounts: bind and overlay (docs/design.md "The backend"; book ch.8 Union Mount,
// ch.10 §10.4 mnt/diff/layers; note 003 union FS). Docker 0.1.0 stacked
// image layers with AUFS and Docker 1.2.0 offered aufs, btrfs,
// devicemapper and vfs; AUFS is gone from current kernels, so dockerlab
// stacks layers with overlayfs (docs/divergences.md).
package backend

// MountType is the kind of mount.
type MountType string

const (
	MountBind    MountType = "bind"
	MountOverlay MountType = "overlay"
	MountTmpfs   MountType = "tmpfs"
)

// Mount describes one mount. For overlay, Lower lists the lower
// directories top first (overlayfs' lowerdir order), Source is the upper
// directory and Work the workdir.
type Mount struct {
	Type     MountType
	Source   string
	Target   string
	Lower    []string
	Work     string
	Readonly bool
}
