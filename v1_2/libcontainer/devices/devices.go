// Package devices is the device part of a container's config: the nodes a
// container's /dev gets, the devices cgroup's allow list, and how a host
// device named by `docker run --device` is looked up.
//
// Upstream: vendor/src/github.com/docker/libcontainer/devices/devices.go at
// v1.2.0 (Device, GetCgroupAllowString, GetDevice, GetHostDeviceNodes),
// vendor/src/github.com/docker/libcontainer/devices/defaults.go at v1.2.0
// (DefaultSimpleDevices, DefaultAllowedDevices, DefaultAutoCreatedDevices).
// See docs/upstream/v1.2.0.md §5.2.
// Book: ch.14 §14.3 其他 (设备).
// Notes: 003 "控制组".
//
// Two lists, two jobs: AutoCreated devices are made in the container's
// /dev (mknod); Allowed devices are what the devices cgroup lets it open.
// /dev/fuse is made but not allowed (Java wanted the file to exist), and
// "c *:* m" / "b *:* m" let a container mknod any node it likes — opening
// one is what the cgroup refuses. Reading the host's /dev goes through the
// backend (backend.DeviceHost), so the fake answers with its own machine.
package devices

import (
	"fmt"

	"github.com/dockerlab/dockerlab/backend"
)

// Wildcard is "*" for a major or minor number.
const Wildcard = backend.Wildcard

// Device is one entry of container.json's device lists, with upstream's
// JSON names.
type Device struct {
	Type              rune   `json:"type,omitempty"`
	Path              string `json:"path,omitempty"` // empty for a rule with wildcards
	MajorNumber       int64  `json:"major_number,omitempty"`
	MinorNumber       int64  `json:"minor_number,omitempty"`
	CgroupPermissions string `json:"cgroup_permissions,omitempty"` // "rwm"
	FileMode          uint32 `json:"file_mode,omitempty"`          // permission bits of the node
}

// GetCgroupAllowString is the devices.allow line, "c 1:3 rwm".
func (d *Device) GetCgroupAllowString() string { return d.Backend().Rule() }

// Backend is d in the backend's terms.
func (d *Device) Backend() backend.Device {
	return backend.Device{Path: d.Path, Type: d.Type, Major: d.MajorNumber, Minor: d.MinorNumber,
		Permissions: d.CgroupPermissions, FileMode: d.FileMode}
}

// FromBackend is the other way round.
func FromBackend(b backend.Device) *Device {
	return &Device{Type: b.Type, Path: b.Path, MajorNumber: b.Major, MinorNumber: b.Minor,
		CgroupPermissions: b.Permissions, FileMode: b.FileMode}
}

// ToBackend converts a list (nil stays nil).
func ToBackend(list []*Device) []backend.Device {
	if list == nil {
		return nil
	}
	out := make([]backend.Device, 0, len(list))
	for _, d := range list {
		out = append(out, d.Backend())
	}
	return out
}

func node(path string, major, minor int64) *Device {
	return &Device{Path: path, Type: 'c', MajorNumber: major, MinorNumber: minor, CgroupPermissions: "rwm", FileMode: 0o666}
}

func rule(typ rune, major, minor int64, perms string) *Device {
	return &Device{Type: typ, MajorNumber: major, MinorNumber: minor, CgroupPermissions: perms}
}

// DefaultSimpleDevices are made and allowed: null, zero, full, tty,
// urandom, random.
var DefaultSimpleDevices = []*Device{
	node("/dev/null", 1, 3), node("/dev/zero", 1, 5), node("/dev/full", 1, 7),
	node("/dev/tty", 5, 0), node("/dev/urandom", 1, 9), node("/dev/random", 1, 8),
}

// DefaultAllowedDevices is the devices cgroup's list: mknod of anything,
// the consoles, the pseudo-terminals, tun/tap, and the simple devices.
var DefaultAllowedDevices = append([]*Device{
	rule('c', Wildcard, Wildcard, "m"),
	rule('b', Wildcard, Wildcard, "m"),
	{Path: "/dev/console", Type: 'c', MajorNumber: 5, MinorNumber: 1, CgroupPermissions: "rwm"},
	{Path: "/dev/tty0", Type: 'c', MajorNumber: 4, MinorNumber: 0, CgroupPermissions: "rwm"},
	{Path: "/dev/tty1", Type: 'c', MajorNumber: 4, MinorNumber: 1, CgroupPermissions: "rwm"},
	rule('c', 136, Wildcard, "rwm"), // /dev/pts/*
	rule('c', 5, 2, "rwm"),          // /dev/ptmx
	rule('c', 10, 200, "rwm"),       // /dev/net/tun
}, DefaultSimpleDevices...)

// DefaultAutoCreatedDevices are the nodes made in /dev: /dev/fuse (made,
// not allowed) and the simple devices.
var DefaultAutoCreatedDevices = append([]*Device{
	{Path: "/dev/fuse", Type: 'c', MajorNumber: 10, MinorNumber: 229, CgroupPermissions: "rwm", FileMode: 0o666},
}, DefaultSimpleDevices...)

// GetDevice looks path up on the host's machine and returns it with the
// given cgroup permissions. Upstream dereferenced the result before
// checking the error, so a --device naming a missing file crashed the
// daemon (docs/divergences.md); here it is an error.
func GetDevice(host backend.Host, path, cgroupPermissions string) (*Device, error) {
	dh, ok := host.(backend.DeviceHost)
	if !ok {
		return nil, fmt.Errorf("devices: the %s backend cannot look up host devices", host.Name())
	}
	d, err := dh.DeviceNode(path)
	if err != nil {
		return nil, err
	}
	d.Permissions = cgroupPermissions
	if err := backend.ValidDevice(d); err != nil {
		return nil, err
	}
	return FromBackend(d), nil
}

// GetHostDeviceNodes lists the host's /dev, for --privileged.
func GetHostDeviceNodes(host backend.Host) ([]*Device, error) {
	dh, ok := host.(backend.DeviceHost)
	if !ok {
		return nil, fmt.Errorf("devices: the %s backend cannot list host devices", host.Name())
	}
	list, err := dh.DeviceNodes()
	if err != nil {
		return nil, err
	}
	out := make([]*Device, 0, len(list))
	for _, d := range list {
		out = append(out, FromBackend(d))
	}
	return out, nil
}
