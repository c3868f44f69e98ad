// ADD and COPY: files of the context (or, for ADD, a URL) copied into a
// container made from the current image, then committed. For the cache,
// the step's command names the content's sum instead of its path, so an
// unchanged file reuses the layer and a changed one does not.
//
// Upstream: daemon/build.go at v1.2.0 (runContextCommand,
// checkPathForAddition, addContext, copyAsDirectory, fixPermissions).
// Book: ch.11 §11.4 Dockerfile命令分析 (ADD, COPY beside FROM, RUN, ENV).
//
// Every file reaches the container's root file system through v1_2/archive
// (CopyWithTar, UntarPath): the one confined extractor. The source must
// stay inside the context (resolveInContext); the destination is
// resolved inside the container's root (getResourcePath).
package daemon

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/pkg/tarsum"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// runContextCommand is ADD (allowRemote, allowDecompression) and COPY
// (neither): "SRC DEST", split at the first space, $VARs replaced.
func (b *buildFile) runContextCommand(args string, allowRemote, allowDecompression bool, cmdName string) error {
	if b.context == nil {
		return fmt.Errorf("No context given. Impossible to use %s", cmdName)
	}
	tmp := strings.SplitN(args, " ", 2)
	if len(tmp) != 2 {
		return fmt.Errorf("Invalid %s format: %s needs a source and a destination (%s SRC DEST)", cmdName, cmdName, cmdName)
	}
	orig, err := b.ReplaceEnvMatches(strings.Trim(tmp[0], " \t"))
	if err != nil {
		return err
	}
	dest, err := b.ReplaceEnvMatches(strings.Trim(tmp[1], " \t"))
	if err != nil {
		return err
	}

	cmd := b.config.Cmd
	b.config.Cmd = []string{"/bin/sh", "-c", fmt.Sprintf("#(nop) %s %s in %s", cmdName, orig, dest)}
	defer func(cmd []string) { b.config.Cmd = cmd }(cmd)
	b.config.Image = b.image

	var (
		origPath   = orig
		destPath   = dest
		remoteHash string
		isRemote   = utils.IsURL(orig)
	)
	if isRemote && !allowRemote {
		return fmt.Errorf("Source can't be an URL for %s", cmdName)
	}
	if isRemote {
		var cleanup func()
		origPath, remoteHash, cleanup, err = b.download(orig)
		if err != nil {
			return err
		}
		defer cleanup()
		// A destination ending in "/" is a directory: the file keeps the
		// last part of the URL's path as its name.
		if strings.HasSuffix(dest, "/") {
			u, err := url.Parse(orig)
			if err != nil {
				return err
			}
			parts := strings.Split(strings.TrimSuffix(u.Path, "/"), "/")
			filename := parts[len(parts)-1]
			if filename == "" {
				return fmt.Errorf("cannot determine filename from url: %s", u)
			}
			destPath = dest + filename
		}
	}

	resolved, err := b.checkPathForAddition(origPath)
	if err != nil {
		return err
	}

	if b.utilizeCache {
		hash, err := b.contentHash(resolved, remoteHash)
		if err != nil {
			return err
		}
		// Not upstream: without a sum 1.2 still probed, and a hit moved
		// the build onto the cached image before it went on to copy on top
		// of it. With no sum there is no probe.
		if hash != "" {
			b.config.Cmd = []string{"/bin/sh", "-c", fmt.Sprintf("#(nop) %s %s in %s", cmdName, hash, dest)}
			hit, err := b.probeCache()
			if err != nil {
				return err
			}
			if hit {
				return nil
			}
		}
	}

	container, _, err := b.daemon.Create(cloneConfig(b.config), "")
	if err != nil {
		return err
	}
	b.addTmp(container.ID)
	if err := container.Mount(); err != nil {
		return err
	}
	defer container.Unmount()

	decompress := allowDecompression && !isRemote
	if err := b.addContext(container, resolved, destPath, decompress); err != nil {
		return err
	}
	return b.commit(container.ID, cmd, fmt.Sprintf("%s %s in %s", cmdName, orig, dest))
}

// download fetches an ADD URL into a directory of the context, its mtime
// zeroed so that only its bytes make its sum. It returns the file's path
// in the context, that sum, and what removes the file.
func (b *buildFile) download(orig string) (string, string, func(), error) {
	resp, err := utils.Download(orig)
	if err != nil {
		return "", "", nil, err
	}
	defer resp.Body.Close()
	tmpDirName, err := os.MkdirTemp(b.contextPath, "docker-remote")
	if err != nil {
		return "", "", nil, err
	}
	cleanup := func() { os.RemoveAll(tmpDirName) }
	fail := func(err error) (string, string, func(), error) {
		cleanup()
		return "", "", nil, err
	}
	tmpFileName := filepath.Join(tmpDirName, "tmp")
	tmpFile, err := os.OpenFile(tmpFileName, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fail(err)
	}
	// Not upstream: bounded, like the context itself.
	_, err = io.Copy(tmpFile, &boundedReader{r: resp.Body, left: MaxContextSize, what: "The file at " + orig})
	if cerr := tmpFile.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	if err := os.Chtimes(tmpFileName, time.Unix(0, 0), time.Unix(0, 0)); err != nil {
		return fail(err)
	}
	r, err := archive.Tar(tmpDirName, archive.Uncompressed)
	if err != nil {
		return fail(err)
	}
	defer r.Close()
	ts := &tarsum.TarSum{Reader: r, DisableCompression: true}
	if _, err := io.Copy(io.Discard, ts); err != nil {
		return fail(err)
	}
	return path.Join(filepath.Base(tmpDirName), "tmp"), ts.Sum(nil), cleanup, nil
}

// checkPathForAddition: the source must exist inside the context. It
// returns the source's real path.
func (b *buildFile) checkPathForAddition(orig string) (string, error) {
	resolved, err := resolveInContext(b.contextPath, orig)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(resolved); err != nil {
		if os.IsNotExist(err) {
			return "", fmt.Errorf("%s: no such file or directory", orig)
		}
		return "", err
	}
	return resolved, nil
}

// contentHash is the cache's name for what is added: "file:<sum>" for a
// file of the context, "dir:<sha256 of the sorted sums under it>" for a
// directory, the download's tarsum for a URL; "" when the context holds
// no sum for it (then the cache is not used).
func (b *buildFile) contentHash(resolved, remoteHash string) (string, error) {
	if remoteHash != "" {
		return remoteHash, nil
	}
	rel, err := filepath.Rel(b.contextPath, resolved)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(resolved)
	if err != nil {
		return "", err
	}
	sums := b.context.GetSums()
	if fi.IsDir() {
		// As 1.2: every member whose path starts with the directory's.
		var subfiles []string
		prefix := path.Join(b.contextPath, rel)
		for file, sum := range sums {
			if strings.HasPrefix(path.Join(b.contextPath, file), prefix) {
				subfiles = append(subfiles, sum)
			}
		}
		sort.Strings(subfiles)
		hasher := sha256.New()
		hasher.Write([]byte(strings.Join(subfiles, ",")))
		return "dir:" + hex.EncodeToString(hasher.Sum(nil)), nil
	}
	// Not upstream: the sum of the file a symlink leads to (1.2 took the
	// link's own, so a changed target still hit the cache), and a member
	// written "./name" is found too.
	for _, name := range []string{rel, "./" + rel} {
		if h, ok := sums[name]; ok {
			return "file:" + h, nil
		}
	}
	return "", nil
}

// addContext copies origPath (a path of the unpacked context) to dest in
// the container: a directory's contents, a local archive unpacked (with
// decompress), or the file itself. A dest ending in "/" is a directory;
// otherwise a file is written at dest, as the 1.2 documentation says.
func (b *buildFile) addContext(container *Container, origPath, dest string, decompress bool) error {
	destPath, err := container.getResourcePath(dest)
	if err != nil {
		return err
	}
	if strings.HasSuffix(dest, "/") || dest == "." {
		destPath += "/"
	}
	destExists := true
	destStat, err := os.Stat(destPath)
	if err != nil {
		if !os.IsNotExist(err) {
			return err
		}
		destExists = false
	}
	fi, err := os.Stat(origPath)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return copyAsDirectory(origPath, destPath, destExists)
	}

	if decompress {
		if isArchive, err := isArchiveFile(origPath); err != nil {
			return err
		} else if isArchive {
			// Not upstream: 1.2 tried to unpack anything and, when that
			// failed, copied the file instead, over what the failed
			// attempt had already written. Only an archive is unpacked,
			// and a broken one is an error.
			tarDest := destPath
			if strings.HasSuffix(tarDest, "/") {
				tarDest = filepath.Dir(destPath)
			}
			if err := os.MkdirAll(tarDest, 0o755); err != nil {
				return err
			}
			return archive.UntarPath(origPath, tarDest)
		}
	}

	if err := os.MkdirAll(filepath.Dir(destPath), 0o755); err != nil {
		return err
	}
	if err := archive.CopyWithTar(origPath, destPath); err != nil {
		return err
	}
	resPath := destPath
	if destExists && destStat.IsDir() {
		resPath = filepath.Join(destPath, filepath.Base(origPath))
	}
	return fixPermissions(resPath, 0, 0)
}

// isArchiveFile reads the first tar block of path and asks IsArchive.
func isArchiveFile(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return false, err
	}
	return archive.IsArchive(head[:n]), nil
}

// copyAsDirectory copies a directory's contents and gives root what it
// copied (only what it copied, when the destination already existed).
func copyAsDirectory(source, destination string, destinationExists bool) error {
	if err := archive.CopyWithTar(source, destination); err != nil {
		return err
	}
	if destinationExists {
		files, err := os.ReadDir(source)
		if err != nil {
			return err
		}
		for _, file := range files {
			if err := fixPermissions(filepath.Join(destination, file.Name()), 0, 0); err != nil {
				return err
			}
		}
		return nil
	}
	return fixPermissions(destination, 0, 0)
}

// fixPermissions makes uid:gid own everything under destination (links
// themselves, not what they point to). Not upstream: only root can
// chown, so a daemon that is not root (the fake backend without root)
// leaves the daemon's own uid, as the archive package does.
func fixPermissions(destination string, uid, gid int) error {
	if os.Geteuid() != 0 {
		return nil
	}
	return filepath.Walk(destination, func(path string, info os.FileInfo, err error) error {
		if err := os.Lchown(path, uid, gid); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	})
}
