// The "pull" job: download a repository (or one tag of it) from a v1
// registry into the graph, layer by layer, base first.
//
// Upstream: graph/pull.go at v1.2.0 (CmdPull, pullRepository, pullImage).
// Book: ch.9 §9.5 Docker Daemon (§9.5.1 解析Job参数, §9.5.2 创建session对象,
// §9.5.3 执行镜像下载); ch.1 §1.4.1 docker pull; ch.4 §4.6.7 (the pool);
// ch.10 §10.2 (each layer goes in through graph.Register).
//
// The steps, as the book reads them:
//
//  1. the job's args and env (json, authConfig, metaHeaders, parallel);
//  2. the pool: a second pull of the same name:tag waits for the first;
//  3. ResolveRepositoryName, ExpandAndVerifyRegistryUrl, NewSession;
//  4. pullRepository: GetRepositoryData (image list, endpoints, tokens),
//     GetRemoteTags, then each wanted image (in parallel for API > 1.3);
//  5. pullImage: GetRemoteHistory, then each layer from the base up:
//     GetRemoteImageJSON, GetRemoteImageLayer, graph.Register — a layer
//     is in the graph whole or not at all, so a failed pull leaves no
//     image whose layers are missing, and the next pull starts over;
//  6. the tags are set only after every image arrived.
//
// dockerlab's additions: a registry that answers only the v2 protocol is
// pulled by pull_v2.go (Docker 1.2 knew only v1; docs/divergences.md).
package graph

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/registry"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// CmdPull is `pull NAME [TAG]`; an empty TAG pulls every tag.
func (s *TagStore) CmdPull(job *engine.Job) engine.Status {
	if n := len(job.Args); n != 1 && n != 2 {
		return job.Errorf("Usage: %s IMAGE [TAG]", job.Name)
	}
	var (
		localName   = job.Args[0]
		tag         string
		sf          = utils.NewStreamFormatter(job.GetenvBool("json"))
		authConfig  = &registry.AuthConfig{}
		metaHeaders map[string][]string
	)
	if len(job.Args) > 1 {
		tag = job.Args[1]
	}
	job.GetenvJson("authConfig", authConfig)
	job.GetenvJson("metaHeaders", &metaHeaders)
	trace(job, "§9.5.1 parse the job: name %q tag %q parallel=%v", localName, tag, job.GetenvBool("parallel"))

	c, err := s.poolAdd("pull", localName+":"+tag)
	if err != nil {
		if c != nil {
			// Another pull of the same thing: wait for it to finish.
			job.Stdout.Write(sf.FormatStatus("", "Repository %s already being pulled by another client. Waiting.", localName))
			<-c
			return engine.StatusOK
		}
		return job.Error(err)
	}
	defer s.poolRemove("pull", localName+":"+tag)

	hostname, remoteName, err := registry.ResolveRepositoryName(localName)
	if err != nil {
		return job.Error(err)
	}
	trace(job, "§9.5.2 ResolveRepositoryName(%q) = host %q, remote %q", localName, hostname, remoteName)
	endpoint, err := registry.ExpandAndVerifyRegistryUrl(hostname)
	if hostname == registry.INDEXSERVER {
		// Docker Hub turned its v1 protocol off in 2019: only v2 is left.
		err = fmt.Errorf("Docker Hub no longer serves the v1 protocol")
	}
	if err != nil {
		if v2, ok := s.v2Endpoint(hostname); ok {
			trace(job, "§9.5.2 %s has no v1 /_ping (%v); it answers /v2/: the v2 protocol (not in Docker 1.2)", hostname, err)
			if err := s.pullV2Repository(job, v2, localName, remoteName, tag, sf, authConfig); err != nil {
				return job.Error(err)
			}
			return engine.StatusOK
		}
		return job.Error(err)
	}
	trace(job, "§9.5.2 ExpandAndVerifyRegistryUrl(%q) = %s (pinged)", hostname, endpoint)
	r, err := registry.NewSession(authConfig, registry.NewHTTPRequestFactory(metaHeaders), endpoint, true)
	if err != nil {
		return job.Error(err)
	}
	trace(job, "§9.5.2 NewSession(index %s): cookie jar, User-Agent %q", endpoint, registry.UserAgent())
	if hostname == registry.IndexServerAddress() && !strings.HasPrefix(localName, hostname+"/") {
		// On the index a repository keeps its short name: "busybox",
		// not "index.docker.io/busybox".
		localName = remoteName
	}
	if err := s.pullRepository(job, r, job.Stdout, localName, remoteName, tag, sf, job.GetenvBool("parallel")); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// trace writes one line of the book's steps to the engine's log (shown
// by `dockerlab v1.2 daemon -D` and by chapter 9's demo).
func trace(job *engine.Job, format string, a ...interface{}) {
	job.Eng.Logf("%s: %s", job.Name, fmt.Sprintf(format, a...))
}

// pullRepository pulls the images of remoteName that carry askedTag (every
// tagged image when askedTag is ""), then tags them localName:tag.
func (s *TagStore) pullRepository(job *engine.Job, r *registry.Session, out io.Writer, localName, remoteName, askedTag string, sf *utils.StreamFormatter, parallel bool) error {
	out.Write(sf.FormatStatus("", "Pulling repository %s", localName))

	repoData, err := r.GetRepositoryData(remoteName)
	if err != nil {
		if he, ok := err.(*registry.HTTPRequestError); ok && he.StatusCode == 404 {
			return fmt.Errorf("Error: image %s not found", remoteName)
		}
		return err
	}
	trace(job, "§9.5.3 GetRepositoryData(%s): %d images, endpoints %v, tokens %d", remoteName, len(repoData.ImgList), repoData.Endpoints, len(repoData.Tokens))

	tagsList, err := r.GetRemoteTags(repoData.Endpoints, remoteName, repoData.Tokens)
	if err != nil {
		return err
	}
	trace(job, "§9.5.3 GetRemoteTags: %v", tagsList)
	for tag, id := range tagsList {
		if !image.IsFullID(id) {
			return fmt.Errorf("the registry tags %s:%s with %q, which is not an image id", remoteName, tag, id)
		}
		repoData.ImgList[id] = &registry.ImgData{ID: id, Tag: tag}
	}
	if askedTag != "" {
		if _, ok := tagsList[askedTag]; !ok {
			return fmt.Errorf("Tag %s not found in repository %s", askedTag, localName)
		}
	}

	errors := make(chan error, len(repoData.ImgList))
	var wg sync.WaitGroup
	for _, img := range repoData.ImgList {
		if img.Tag == "" || (askedTag != "" && img.Tag != askedTag) {
			continue // untagged images come in as parents of tagged ones
		}
		wg.Add(1)
		download := func(img *registry.ImgData) {
			defer wg.Done()
			errors <- s.downloadImage(job, r, out, img, localName, repoData, sf)
		}
		if parallel {
			go download(img)
		} else {
			download(img)
		}
	}
	wg.Wait()
	close(errors)
	var lastErr error
	for err := range errors {
		if err != nil {
			lastErr = err
		}
	}
	if lastErr != nil {
		return lastErr
	}

	for tag, id := range tagsList {
		if askedTag != "" && tag != askedTag {
			continue
		}
		if err := s.Set(localName, tag, id, true); err != nil {
			return err
		}
		trace(job, "§9.5.3 TagStore.Set(%s:%s → %s)", localName, tag, image.TruncateID(id))
	}
	return nil
}

// downloadImage is one tagged image of pullRepository: from each endpoint
// in turn until one works.
func (s *TagStore) downloadImage(job *engine.Job, r *registry.Session, out io.Writer, img *registry.ImgData, localName string, repoData *registry.RepositoryData, sf *utils.StreamFormatter) error {
	shortID := image.TruncateID(img.ID)
	if c, err := s.poolAdd("pull", "img:"+img.ID); err != nil {
		if c != nil {
			out.Write(sf.FormatProgress(shortID, "Layer already being pulled by another client. Waiting.", nil))
			<-c
			out.Write(sf.FormatProgress(shortID, "Download complete", nil))
			return nil
		}
		return err
	}
	defer s.poolRemove("pull", "img:"+img.ID)

	out.Write(sf.FormatProgress(shortID, fmt.Sprintf("Pulling image (%s) from %s", img.Tag, localName), nil))
	var lastErr error
	success := false
	for _, ep := range repoData.Endpoints {
		out.Write(sf.FormatProgress(shortID, fmt.Sprintf("Pulling image (%s) from %s, endpoint: %s", img.Tag, localName, ep), nil))
		if lastErr = s.pullImage(job, r, out, img.ID, ep, repoData.Tokens, sf); lastErr != nil {
			out.Write(sf.FormatProgress(shortID, fmt.Sprintf("Error pulling image (%s) from %s, endpoint: %s, %s", img.Tag, localName, ep, lastErr), nil))
			continue
		}
		success = true
		break
	}
	if !success {
		err := fmt.Errorf("Error pulling image (%s) from %s, %v", img.Tag, localName, lastErr)
		out.Write(sf.FormatProgress(shortID, err.Error(), nil))
		return err
	}
	out.Write(sf.FormatProgress(shortID, "Download complete", nil))
	return nil
}

// pullImage pulls imgID's ancestry from one endpoint, base first; a layer
// the graph has is skipped, a layer another pull is fetching is waited
// for.
//
//lab:exercise ch09.pull-image
func (s *TagStore) pullImage(job *engine.Job, r *registry.Session, out io.Writer, imgID, endpoint string, token []string, sf *utils.StreamFormatter) error {
	history, err := r.GetRemoteHistory(imgID, endpoint, token)
	if err != nil {
		return err
	}
	for _, id := range history {
		if !image.IsFullID(id) {
			return fmt.Errorf("the ancestry of %s names %q, which is not an image id", image.TruncateID(imgID), id)
		}
	}
	trace(job, "§9.5.3 GetRemoteHistory(%s): %d layers", image.TruncateID(imgID), len(history))
	out.Write(sf.FormatProgress(image.TruncateID(imgID), "Pulling dependent layers", nil))
	for i := len(history) - 1; i >= 0; i-- {
		id := history[i]
		var parent string
		if i+1 < len(history) {
			parent = history[i+1]
		}
		if err := s.pullLayer(job, r, out, id, parent, endpoint, token, sf); err != nil {
			return err
		}
	}
	return nil
}

// pullLayer fetches and registers one layer, under the pool's "layer:"
// key so two pulls never fetch it together.
func (s *TagStore) pullLayer(job *engine.Job, r *registry.Session, out io.Writer, id, parent, endpoint string, token []string, sf *utils.StreamFormatter) error {
	shortID := image.TruncateID(id)
	if c, err := s.poolAdd("pull", "layer:"+id); err != nil {
		if c == nil {
			return err
		}
		<-c // the other pull fetched it, or failed: look again below
		if !s.graph.Exists(id) {
			return s.pullLayer(job, r, out, id, parent, endpoint, token, sf)
		}
	} else {
		defer s.poolRemove("pull", "layer:"+id)
	}
	if s.graph.Exists(id) {
		out.Write(sf.FormatProgress(shortID, "Download complete", nil))
		return nil
	}
	out.Write(sf.FormatProgress(shortID, "Pulling metadata", nil))
	var (
		imgJSON []byte
		imgSize int
		img     *image.Image
		err     error
	)
	for j := 1; j <= retries; j++ {
		imgJSON, imgSize, err = r.GetRemoteImageJSON(id, endpoint, token)
		if err != nil && j == retries {
			out.Write(sf.FormatProgress(shortID, "Error pulling dependent layers", nil))
			return err
		} else if err != nil {
			time.Sleep(time.Duration(j) * retryWait)
			continue
		}
		if img, err = image.NewImgJSON(imgJSON); err != nil {
			out.Write(sf.FormatProgress(shortID, "Error pulling dependent layers", nil))
			return fmt.Errorf("Failed to parse json: %s", err)
		}
		break
	}
	if img.ID != id {
		return fmt.Errorf("the registry's json for %s says its id is %q", shortID, img.ID)
	}
	if img.Parent != parent {
		return fmt.Errorf("the registry's json for %s names parent %q, but its ancestry says %q", shortID, img.Parent, parent)
	}
	for j := 1; j <= retries; j++ {
		status := "Pulling fs layer"
		if j > 1 {
			status = fmt.Sprintf("Pulling fs layer [retries: %d]", j)
		}
		out.Write(sf.FormatProgress(shortID, status, nil))
		layer, err := r.GetRemoteImageLayer(img.ID, endpoint, token)
		if uerr, ok := err.(net.Error); ok && uerr.Timeout() && j < retries {
			time.Sleep(time.Duration(j) * retryWait)
			continue
		} else if err != nil {
			out.Write(sf.FormatProgress(shortID, "Error pulling dependent layers", nil))
			return err
		}
		trace(job, "§9.5.3 GetRemoteImageLayer(%s) → graph.Register (ch.10 §10.2)", shortID)
		sized := &sizedReader{ReadCloser: layer, want: int64(imgSize)}
		err = s.graph.Register(imgJSON, utils.ProgressReader(sized, imgSize, out, sf, false, shortID, "Downloading"), img)
		layer.Close()
		var nerr net.Error
		if errors.As(err, &nerr) && nerr.Timeout() && j < retries {
			time.Sleep(time.Duration(j) * retryWait)
			continue
		} else if err != nil {
			out.Write(sf.FormatProgress(shortID, "Error downloading dependent layers", nil))
			return fmt.Errorf("layer %s: %w", shortID, err)
		}
		break
	}
	out.Write(sf.FormatProgress(shortID, "Download complete", nil))
	return nil
}

// 1.2 tried a layer's json and a timed-out layer 5 times, waiting
// j×500 ms before try j+1.
const retries = 5

var retryWait = 500 * time.Millisecond

// sizedReader fails with io.ErrUnexpectedEOF when the stream ends before
// the size the registry announced (X-Docker-Size): a layer cut off
// between two tar entries would otherwise unpack "successfully", half.
type sizedReader struct {
	io.ReadCloser
	want, got int64
}

func (r *sizedReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.got += int64(n)
	if err == io.EOF && r.want >= 0 && r.got < r.want {
		return n, fmt.Errorf("the layer ended after %d of %d bytes: %w", r.got, r.want, io.ErrUnexpectedEOF)
	}
	return n, err
}
