// The "push" job: send a repository's images (or one image) to a v1
// registry, base layer first, then its tags.
//
// Upstream: graph/push.go at v1.2.0 (CmdPush, getImageList,
// pushRepository, pushImage).
//
// No book chapter covers push (ch.9 is pull); it is the same protocol run
// backwards, and chapter 9's README shows both.
//
// The order: tell the index which images are coming (PUT
// repositories/<name>/, answered with a token and the endpoints); for
// each endpoint, each image that endpoint lacks: its json, its layer
// (gzip, chunked, tarsum computed on the way), its checksums; then its
// tags; finally tell the index the push is complete (PUT
// repositories/<name>/images, 204).
package graph

import (
	"fmt"
	"io"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/registry"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// CmdPush is `push NAME` with env tag ("" pushes every tag).
func (s *TagStore) CmdPush(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s IMAGE", job.Name)
	}
	var (
		localName   = job.Args[0]
		sf          = utils.NewStreamFormatter(job.GetenvBool("json"))
		authConfig  = &registry.AuthConfig{}
		metaHeaders map[string][]string
	)
	tag := job.Getenv("tag")
	job.GetenvJson("authConfig", authConfig)
	job.GetenvJson("metaHeaders", &metaHeaders)
	if _, err := s.poolAdd("push", localName); err != nil {
		return job.Error(err)
	}
	defer s.poolRemove("push", localName)

	hostname, remoteName, err := registry.ResolveRepositoryName(localName)
	if err != nil {
		return job.Error(err)
	}
	endpoint, err := registry.ExpandAndVerifyRegistryUrl(hostname)
	if err != nil {
		return job.Error(err)
	}
	img, err := s.graph.Get(localName)
	r, err2 := registry.NewSession(authConfig, registry.NewHTTPRequestFactory(metaHeaders), endpoint, false)
	if err2 != nil {
		return job.Error(err2)
	}
	if err != nil {
		localRepo, err := s.Get(localName)
		if err != nil {
			return job.Error(err)
		}
		if localRepo == nil {
			return job.Errorf("No such repository: %s", localName)
		}
		reposLen := 1
		if tag == "" {
			reposLen = len(localRepo)
		}
		job.Stdout.Write(sf.FormatStatus("", "The push refers to a repository [%s] (len: %d)", localName, reposLen))
		if err := s.pushRepository(r, job.Stdout, localName, remoteName, localRepo, tag, sf); err != nil {
			return job.Error(err)
		}
		return engine.StatusOK
	}
	job.Stdout.Write(sf.FormatStatus("", "The push refers to an image: [%s]", localName))
	if _, err := s.pushImage(r, job.Stdout, remoteName, img.ID, endpoint, nil, sf); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// getImageList walks each tag's parents, stops at an image already seen,
// and answers the ids base first, with the tags of each image. A parent
// the graph has lost is an error naming it.
func (s *TagStore) getImageList(localRepo map[string]string, requestedTag string) ([]string, map[string][]string, error) {
	var (
		imageList   []string
		imagesSeen  = map[string]bool{}
		tagsByImage = map[string][]string{}
	)
	for _, tag := range sortedKeys(localRepo) {
		id := localRepo[tag]
		if requestedTag != "" && requestedTag != tag {
			continue
		}
		tagsByImage[id] = append(tagsByImage[id], tag)
		var forThisTag []string
		img, err := s.graph.Get(id)
		if err != nil {
			return nil, nil, fmt.Errorf("the image %s of tag %s is missing from the graph: %w", image.TruncateID(id), tag, err)
		}
		for img != nil && !imagesSeen[img.ID] {
			imagesSeen[img.ID] = true
			forThisTag = append(forThisTag, img.ID)
			child := img
			if img, err = img.GetParent(); err != nil {
				return nil, nil, fmt.Errorf("cannot push %s: its parent %s is missing from the graph (%v)", image.TruncateID(child.ID), image.TruncateID(child.Parent), err)
			}
		}
		for i, j := 0, len(forThisTag)-1; i < j; i, j = i+1, j-1 {
			forThisTag[i], forThisTag[j] = forThisTag[j], forThisTag[i]
		}
		imageList = append(imageList, forThisTag...)
	}
	if len(imageList) == 0 {
		return nil, nil, fmt.Errorf("No images found for the requested repository / tag")
	}
	return imageList, tagsByImage, nil
}

// pushRepository is the whole dance for one repository.
func (s *TagStore) pushRepository(r *registry.Session, out io.Writer, localName, remoteName string, localRepo map[string]string, tag string, sf *utils.StreamFormatter) error {
	out.Write(sf.FormatStatus("", "Sending image list"))
	imgList, tagsByImage, err := s.getImageList(localRepo, tag)
	if err != nil {
		return err
	}
	var imageIndex []*registry.ImgData
	for _, id := range imgList {
		if tags, ok := tagsByImage[id]; ok {
			for _, t := range tags {
				imageIndex = append(imageIndex, &registry.ImgData{ID: id, Tag: t})
			}
		} else {
			imageIndex = append(imageIndex, &registry.ImgData{ID: id})
		}
	}
	repoData, err := r.PushImageJSONIndex(remoteName, imageIndex, false, nil)
	if err != nil {
		return err
	}
	for _, ep := range repoData.Endpoints {
		out.Write(sf.FormatStatus("", "Pushing repository %s (%d tags)", localName, len(localRepo)))
		for _, imgID := range imgList {
			if r.LookupRemoteImage(imgID, ep, repoData.Tokens) {
				out.Write(sf.FormatStatus("", "Image %s already pushed, skipping", image.TruncateID(imgID)))
			} else if _, err := s.pushImage(r, out, remoteName, imgID, ep, repoData.Tokens, sf); err != nil {
				// 1.2 threw away the checksum pushImage answers, so the
				// final index call always listed no image.
				return err
			}
			for _, t := range tagsByImage[imgID] {
				out.Write(sf.FormatStatus("", "Pushing tag for rev [%s] on {%s}", image.TruncateID(imgID), ep+"repositories/"+remoteName+"/tags/"+t))
				if err := r.PushRegistryTag(remoteName, imgID, t, ep, repoData.Tokens); err != nil {
					return err
				}
			}
		}
	}
	_, err = r.PushImageJSONIndex(remoteName, imageIndex, true, repoData.Endpoints)
	return err
}

// pushImage sends one image: json, layer, checksums. It answers the
// layer's tarsum.
func (s *TagStore) pushImage(r *registry.Session, out io.Writer, remote, imgID, ep string, token []string, sf *utils.StreamFormatter) (string, error) {
	shortID := image.TruncateID(imgID)
	img, err := s.graph.Get(imgID)
	if err != nil {
		return "", fmt.Errorf("Cannot retrieve the path for {%s}: %s", imgID, err)
	}
	jsonRaw, err := img.RawJson()
	if err != nil {
		return "", err
	}
	out.Write(sf.FormatProgress(shortID, "Pushing", nil))
	imgData := &registry.ImgData{ID: imgID}
	if err := r.PushImageJSONRegistry(imgData, jsonRaw, ep, token); err != nil {
		if err == registry.ErrAlreadyExists {
			out.Write(sf.FormatProgress(shortID, "Image already pushed, skipping", nil))
			return "", nil
		}
		return "", err
	}
	out.Write(sf.FormatProgress(shortID, "Buffering to disk", nil))
	layerData, err := s.graph.TempLayerArchive(imgID, archive.Uncompressed)
	if err != nil {
		return "", fmt.Errorf("Failed to generate layer archive: %s", err)
	}
	defer layerData.Close()
	checksum, payload, err := r.PushImageLayerRegistry(imgID, utils.ProgressReader(layerData, int(layerData.Size), out, sf, false, shortID, "Pushing"), ep, token, jsonRaw)
	if err != nil {
		return "", err
	}
	imgData.Checksum, imgData.ChecksumPayload = checksum, payload
	if err := r.PushImageChecksumRegistry(imgData, ep, token); err != nil {
		return "", err
	}
	out.Write(sf.FormatProgress(shortID, "Image successfully pushed", nil))
	return imgData.Checksum, nil
}
