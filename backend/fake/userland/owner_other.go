//go:build !unix

// File ownership where stat has no uid/gid (Windows, plan9): everything
// belongs to root, as it would in a fresh container.
package userland

import "io/fs"

func fileOwner(info fs.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }

func fileLinks(info fs.FileInfo) int { return 1 }

func fileKB(info fs.FileInfo) int64 { return (info.Size() + 1023) / 1024 }
