// The video-description preparation scripts on small hand-written files in the real formats (the
// real datasets are never downloaded here): datasets/msrvtt/prepare reads MSR-VTT's annotation
// JSON, datasets/msvd/prepare MSVD's AllVideoDescriptions.txt or its multilingual corpus CSV (with
// or without youtube_mapping.txt); both write vidact's caption file (video,split,caption, video
// relative to the CSV's folder through `videos` links), warn about empty captions and uncaptioned
// videos, and exit 1 with every problem listed and nothing written on a broken download.
import Foundation
import TestSupport
import Testing

struct CaptionDatasetPrepareTests {
    static let root = FeaturesCommandTests.root.path

    func touch(_ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
    }

    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: MSR-VTT

    static let trainVal = #"""
        {"info": {"year": "2016", "version": "1.0"},
         "videos": [
          {"category": 9, "url": "https://www.youtube.com/watch?v=9lZi22qLlEo", "video_id": "video0",
           "start time": 137.72, "end time": 149.44, "split": "train", "id": 0},
          {"category": 16, "url": "https://www.youtube.com/watch?v=w4JM08PDEng", "video_id": "video1",
           "start time": 184.33, "end time": 206.89, "split": "train", "id": 1},
          {"category": 9, "url": "https://www.youtube.com/watch?v=QA7KVQq9vKA", "video_id": "video2",
           "start time": 31.17, "end time": 41.24, "split": "validate", "id": 2},
          {"category": 8, "url": "https://www.youtube.com/watch?v=Pf8-FETzSsU", "video_id": "video3",
           "start time": 48.26, "end time": 58.51, "split": "train", "id": 3}
         ],
         "sentences": [
          {"caption": "a man is talking", "video_id": "video1", "sen_id": 0},
          {"caption": "a car drives, fast", "video_id": "video0", "sen_id": 1},
          {"caption": "someone says \"hi\"", "video_id": "video0", "sen_id": 2},
          {"caption": "a cat plays", "video_id": "video2", "sen_id": 3},
          {"caption": "  ", "video_id": "video2", "sen_id": 4},
          {"caption": "a man talks", "video_id": "video1", "sen_id": 5}
         ]}
        """#

    static let testAnnotations = #"""
        {"videos": [{"category": 3, "video_id": "video10", "split": "test", "id": 10}],
         "sentences": [{"caption": "people dance", "video_id": "video10", "sen_id": 6},
                       {"caption": "a crowd, dancing", "video_id": "video10", "sen_id": 7}]}
        """#

    static let trainValRows = #"""
        video,split,caption
        videos/video0.mp4,train,"a car drives, fast"
        videos/video0.mp4,train,"someone says ""hi"""
        videos/video1.mp4,train,a man is talking
        videos/video1.mp4,train,a man talks
        videos/video2.mp4,val,a cat plays
        """# + "\n"

    static let testRows = #"""
        videos2/video10.mp4,test,people dance
        videos2/video10.mp4,test,"a crowd, dancing"
        """# + "\n"

    /// The two annotation files, four train/val clips (video3 has no sentences) and one test clip.
    func msrvttTree(_ dir: String) throws {
        try write(Self.trainVal, "\(dir)/train_val_videodatainfo.json")
        try write(Self.testAnnotations, "\(dir)/test_videodatainfo.json")
        for video in ["video0", "video1", "video2", "video3"] { try touch("\(dir)/TrainValVideo/\(video).mp4") }
        try touch("\(dir)/TestVideo/video10.mp4")
    }

    @Test func msrvttPrepareWritesTheCaptionFile() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try msrvttTree(dir)
        let script = Self.root + "/datasets/msrvtt/prepare"
        let annotations = ["\(dir)/train_val_videodatainfo.json", "\(dir)/test_videodatainfo.json"]
        let folders = ["--videos", "\(dir)/TrainValVideo", "--videos", "\(dir)/TestVideo"]
        let ok = try runProcess(script, annotations + folders + ["--out", "\(dir)/data", "--expect-videos", "4"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("4 videos (2 train, 1 val, 1 test), 7 captions, 2 warning(s)"), "\(ok.stdout)")
        #expect(ok.stderr.contains("warning: 1 empty caption(s) skipped"), "\(ok.stderr)")
        #expect(ok.stderr.contains("warning: 1 video(s) without captions left out: video3"), "\(ok.stderr)")
        let captions = try String(contentsOfFile: "\(dir)/data/captions.csv", encoding: .utf8)
        #expect(captions == Self.trainValRows + Self.testRows, "\(captions)")
        let fileManager = FileManager.default
        #expect(try fileManager.destinationOfSymbolicLink(atPath: "\(dir)/data/videos") == "\(dir)/TrainValVideo")
        #expect(try fileManager.destinationOfSymbolicLink(atPath: "\(dir)/data/videos2") == "\(dir)/TestVideo")
        #expect(fileManager.fileExists(atPath: "\(dir)/data/videos2/video10.mp4"))
        // Rerun with the train/val part only: the rows are rewritten and the stale videos2 link goes.
        let again = try runProcess(
            script,
            ["\(dir)/train_val_videodatainfo.json", "--videos", "\(dir)/TrainValVideo", "--out", "\(dir)/data"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOfFile: "\(dir)/data/captions.csv", encoding: .utf8) == Self.trainValRows)
        #expect(!fileManager.fileExists(atPath: "\(dir)/data/videos2"))
        #expect(try fileManager.destinationOfSymbolicLink(atPath: "\(dir)/data/videos") == "\(dir)/TrainValVideo")
        // A wrong count is an error.
        let count = try runProcess(
            script, annotations + folders + ["--out", "\(dir)/data", "--expect-videos", "10000"])
        #expect(count.status == 1 && count.stderr.contains("4 videos to write, expected 10000"), "\(count.stderr)")
    }

    @Test func msrvttPrepareListsEveryProblem() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try msrvttTree(dir)
        let script = Self.root + "/datasets/msrvtt/prepare"
        let folders = ["--videos", "\(dir)/TrainValVideo", "--videos", "\(dir)/TestVideo"]
        // video0 listed again with another split, and a sentence about a video no file lists.
        try write(
            """
            {"videos": [{"video_id": "video0", "split": "test"}, {"video_id": "video10", "split": "test"}],
             "sentences": [{"caption": "a ghost", "video_id": "video99", "sen_id": 9},
                           {"caption": "people dance", "video_id": "video10", "sen_id": 6}]}
            """, "\(dir)/bad.json")
        let bad = try runProcess(
            script, ["\(dir)/train_val_videodatainfo.json", "\(dir)/bad.json"] + folders + ["--out", "\(dir)/data"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.json: videos[0]: video0 is test here but train at "), "\(bad.stderr)")
        #expect(bad.stderr.contains("bad.json: sentences[0]: video_id video99 is not in any videos list"))
        #expect(bad.stderr.contains("2 problem(s); nothing written"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/data"))
        // A missing video file: an error naming it, or left out with --allow-missing.
        try FileManager.default.removeItem(atPath: "\(dir)/TestVideo/video10.mp4")
        let annotations = ["\(dir)/train_val_videodatainfo.json", "\(dir)/test_videodatainfo.json"]
        let missing = try runProcess(script, annotations + folders + ["--out", "\(dir)/data"])
        #expect(missing.status == 1)
        #expect(
            missing.stderr.contains(
                "1 video file(s) not found in \(dir)/TrainValVideo, \(dir)/TestVideo: video10.mp4 "
                    + "(use --allow-missing"),
            "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/data"))
        let allowed = try runProcess(script, annotations + folders + ["--out", "\(dir)/data", "--allow-missing"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stderr.contains("video10.mp4; left out with their captions"), "\(allowed.stderr)")
        #expect(allowed.stdout.contains("3 videos (2 train, 1 val, 0 test), 5 captions, 3 warning(s)"))
        #expect(try String(contentsOfFile: "\(dir)/data/captions.csv", encoding: .utf8) == Self.trainValRows)
    }

    // MARK: MSVD

    /// Comment lines, a blank line, YouTube ids with `_` and `-`, a comma and quotes in captions.
    static let descriptions = """
        # Microsoft Research Video Description Corpus
        # ----------------------------------------------
        -_hbPLsZvvo_5_8 a man is playing a guitar
        bQJQGoJF7_k_162_169 a woman slices, a tomato
        -_hbPLsZvvo_5_8 someone plays "guitar"

        ab-c_d_e_0_4 a dog runs

        """

    static let mapping = "bQJQGoJF7_k_162_169 vid1\n-_hbPLsZvvo_5_8 vid1201\nab-c_d_e_0_4 vid1301\n"

    /// English rows and others, a quoted description with commas; one clip is only in French.
    static let corpus = """
        VideoID,Start,End,WorkerID,Source,AnnotationTime,Language,Description
        -_hbPLsZvvo,5,8,1,clean,10,English,a man plays a guitar
        -_hbPLsZvvo,5,8,2,clean,12,German,ein Mann spielt Gitarre
        bQJQGoJF7_k,162,169,3,unverified,9,English,"a woman slices, then dices, a tomato"
        bQJQGoJF7_k,162,169,4,clean,9,French,"une femme coupe, une tomate"
        ab-c_d_e,0,4,5,clean,7,English,a dog runs

        """

    func msvdTree(_ dir: String) throws {
        try write(Self.descriptions, "\(dir)/AllVideoDescriptions.txt")
        try write(Self.mapping, "\(dir)/youtube_mapping.txt")
        try write(Self.corpus, "\(dir)/MSR Video Description Corpus.csv")
        for clip in ["-_hbPLsZvvo_5_8", "bQJQGoJF7_k_162_169", "ab-c_d_e_0_4"] {
            try touch("\(dir)/YouTubeClips/\(clip).avi")
        }
    }

    @Test func msvdPrepareReadsTheDescriptionsWithAndWithoutTheMapping() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try msvdTree(dir)
        let script = Self.root + "/datasets/msvd/prepare"
        let text = ["\(dir)/AllVideoDescriptions.txt", "--videos", "\(dir)/YouTubeClips"]
        let mapped = try runProcess(
            script, text + ["--mapping", "\(dir)/youtube_mapping.txt", "--out", "\(dir)/data", "--expect-videos", "3"])
        #expect(mapped.status == 0, "\(mapped.stderr)")
        #expect(
            mapped.stdout.contains("3 videos (1 train, 1 val, 1 test), 4 captions, 0 warning(s)"), "\(mapped.stdout)")
        #expect(mapped.stdout.contains("splits: from \(dir)/youtube_mapping.txt"), "\(mapped.stdout)")
        let expected = #"""
            video,split,caption
            videos/bQJQGoJF7_k_162_169.avi,train,"a woman slices, a tomato"
            videos/-_hbPLsZvvo_5_8.avi,val,a man is playing a guitar
            videos/-_hbPLsZvvo_5_8.avi,val,"someone plays ""guitar"""
            videos/ab-c_d_e_0_4.avi,test,a dog runs
            """# + "\n"
        #expect(try String(contentsOfFile: "\(dir)/data/captions.csv", encoding: .utf8) == expected)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/data/videos")
        #expect(link == "\(dir)/YouTubeClips")
        // Without the mapping: clips numbered in order of first appearance, so all three are train
        // (1..1200), and the output says how the split was made.
        let unmapped = try runProcess(script, text + ["--out", "\(dir)/data2"])
        #expect(unmapped.status == 0, "\(unmapped.stderr)")
        #expect(unmapped.stdout.contains("by order of first appearance"), "\(unmapped.stdout)")
        let byAppearance = #"""
            video,split,caption
            videos/-_hbPLsZvvo_5_8.avi,train,a man is playing a guitar
            videos/-_hbPLsZvvo_5_8.avi,train,"someone plays ""guitar"""
            videos/ab-c_d_e_0_4.avi,train,a dog runs
            videos/bQJQGoJF7_k_162_169.avi,train,"a woman slices, a tomato"
            """# + "\n"
        #expect(try String(contentsOfFile: "\(dir)/data2/captions.csv", encoding: .utf8) == byAppearance)
    }

    @Test func msvdPrepareReadsTheEnglishRowsOfTheCorpusCSV() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try msvdTree(dir)
        let script = Self.root + "/datasets/msvd/prepare"
        let result = try runProcess(
            script,
            [
                "\(dir)/MSR Video Description Corpus.csv", "--videos", "\(dir)/YouTubeClips", "--mapping",
                "\(dir)/youtube_mapping.txt", "--out", "\(dir)/data",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("corpus CSV (2 non-English rows skipped): 3 videos"), "\(result.stdout)")
        let expected = #"""
            video,split,caption
            videos/bQJQGoJF7_k_162_169.avi,train,"a woman slices, then dices, a tomato"
            videos/-_hbPLsZvvo_5_8.avi,val,a man plays a guitar
            videos/ab-c_d_e_0_4.avi,test,a dog runs
            """# + "\n"
        #expect(try String(contentsOfFile: "\(dir)/data/captions.csv", encoding: .utf8) == expected)
    }

    @Test func msvdPrepareListsEveryProblem() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try msvdTree(dir)
        let script = Self.root + "/datasets/msvd/prepare"
        let descriptions = "\(dir)/AllVideoDescriptions.txt"
        let mapping = ["--mapping", "\(dir)/youtube_mapping.txt"]
        // A line whose clip name has no integer start and end (line 8), and a mapping line with vid2000.
        try write(Self.descriptions + "xyz_1_a something\n", descriptions)
        try write(Self.mapping + "extra_1_2 vid2000\n", "\(dir)/youtube_mapping.txt")
        let bad = try runProcess(
            script, [descriptions, "--videos", "\(dir)/YouTubeClips", "--out", "\(dir)/data"] + mapping)
        #expect(bad.status == 1)
        #expect(
            bad.stderr.contains(
                "AllVideoDescriptions.txt:8: expected '<youtubeid>_<start>_<end> <caption>', got 'xyz_1_a something'"),
            "\(bad.stderr)")
        #expect(
            bad.stderr.contains("youtube_mapping.txt:4: expected '<clip> vid<N>' with N in 1..1970"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/data"))
        // A described clip the mapping does not list is left out with a warning.
        try write(Self.descriptions, descriptions)
        try write("bQJQGoJF7_k_162_169 vid1\n-_hbPLsZvvo_5_8 vid1201\n", "\(dir)/youtube_mapping.txt")
        let partial = try runProcess(
            script, [descriptions, "--videos", "\(dir)/YouTubeClips", "--out", "\(dir)/data"] + mapping)
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(partial.stderr.contains("1 described clip(s) not in \(dir)/youtube_mapping.txt left out: ab-c_d_e_0_4"))
        #expect(partial.stdout.contains("2 videos (1 train, 1 val, 0 test), 3 captions"), "\(partial.stdout)")
        // A missing clip file: an error naming it, or left out with --allow-missing.
        try write(Self.mapping, "\(dir)/youtube_mapping.txt")
        try FileManager.default.removeItem(atPath: "\(dir)/YouTubeClips/ab-c_d_e_0_4.avi")
        let missing = try runProcess(
            script, [descriptions, "--videos", "\(dir)/YouTubeClips", "--out", "\(dir)/data2"] + mapping)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("1 video file(s) not found in \(dir)/YouTubeClips: ab-c_d_e_0_4.avi"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/data2"))
        let allowed = try runProcess(
            script,
            [descriptions, "--videos", "\(dir)/YouTubeClips", "--out", "\(dir)/data2", "--allow-missing"] + mapping)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let expected = #"""
            video,split,caption
            videos/bQJQGoJF7_k_162_169.avi,train,"a woman slices, a tomato"
            videos/-_hbPLsZvvo_5_8.avi,val,a man is playing a guitar
            videos/-_hbPLsZvvo_5_8.avi,val,"someone plays ""guitar"""
            """# + "\n"
        #expect(try String(contentsOfFile: "\(dir)/data2/captions.csv", encoding: .utf8) == expected)
    }
}
