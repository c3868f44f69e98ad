// Small helpers the builder shares between the client and the daemon:
// is a build source a URL or a git repository, does a path match a
// .dockerignore pattern, can every file of a context be read, and a
// bounded download.
//
// Upstream: utils/utils.go at v1.2.0 (IsURL, IsGIT, Matches,
// ValidateContextDirectory, Download).
// Book: ch.11 §11.2.1 (the client decides what the context is and tars it
// up) and §11.2.3 (the daemon fetches a remote context).
package utils

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// IsURL: 1.2 knew only http and https.
func IsURL(str string) bool {
	return strings.HasPrefix(str, "http://") || strings.HasPrefix(str, "https://")
}

// IsGIT: a git:// URL, a github.com path, a git@github.com: address, or
// an http(s) URL ending in .git. Anything else (a local path, file://) is
// not a repository to 1.2.
func IsGIT(str string) bool {
	return strings.HasPrefix(str, "git://") || strings.HasPrefix(str, "github.com/") ||
		strings.HasPrefix(str, "git@github.com:") || (strings.HasSuffix(str, ".git") && IsURL(str))
}

// Matches says whether relFilePath matches one of the .dockerignore
// patterns (filepath.Match, whole relative path, no "**" and no "!":
// those came in Docker 1.5 and later). A pattern that matches "." is
// skipped: the whole context cannot be excluded.
func Matches(relFilePath string, patterns []string) (bool, error) {
	for _, exclude := range patterns {
		matched, err := filepath.Match(exclude, relFilePath)
		if err != nil {
			return false, fmt.Errorf("Bad .dockerignore pattern: '%s', error: %s", exclude, err)
		}
		if matched && filepath.Clean(relFilePath) != "." {
			return true, nil
		}
	}
	return false, nil
}

// ValidateContextDirectory walks the context the client is about to send
// and fails on the first file it cannot read, before anything is sent:
// a half-sent context would only fail later, on the daemon, with a less
// useful message. Excluded paths are not looked at; symlinks are not
// followed.
func ValidateContextDirectory(srcPath string, excludes []string) error {
	return filepath.Walk(srcPath, func(filePath string, f os.FileInfo, err error) error {
		if err != nil {
			if os.IsPermission(err) {
				return fmt.Errorf("can't stat '%s'", filePath)
			}
			return err
		}
		rel, err := filepath.Rel(srcPath, filePath)
		if err != nil {
			return err
		}
		skip, err := Matches(rel, excludes)
		if err != nil {
			return err
		}
		if skip {
			if f.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if f.Mode()&os.ModeSymlink != 0 || f.IsDir() {
			return nil
		}
		if f.Mode().IsRegular() {
			file, err := os.Open(filePath)
			if err != nil {
				if os.IsPermission(err) {
					return fmt.Errorf("no permission to read from '%s'", filePath)
				}
				return err
			}
			file.Close()
		}
		return nil
	})
}

// DownloadTimeout bounds a whole download (a remote Dockerfile or
// context, an ADD of a URL). Not upstream: 1.2 waited as long as the
// server kept the connection open.
var DownloadTimeout = 10 * time.Minute

// Download GETs url and returns the response when it is a 2xx; the
// caller closes the body and bounds how much of it it reads.
func Download(url string) (*http.Response, error) {
	client := &http.Client{Timeout: DownloadTimeout}
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		resp.Body.Close()
		return nil, fmt.Errorf("Got HTTP status code >= 400: %s", resp.Status)
	}
	return resp, nil
}

// ReadAllLimited reads r to its end, failing once more than max bytes
// came: what is read from a client or a server is always bounded.
func ReadAllLimited(r io.Reader, max int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than the limit of %d bytes", what, max)
	}
	return b, nil
}
