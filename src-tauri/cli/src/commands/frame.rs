//! `seedance frame CLIP|JOB [--last | --index N | --at SECONDS] --out FILE.png`: one frame of a finished
//! clip as a PNG, decoded by core (no player, no ffmpeg), e.g. to start the next shot where this one ends.
//! A job is named by its id, as `seedance jobs show` takes it; a file that exists wins over a job id.

use std::path::PathBuf;

use seedance_core::film::frame::{extract_frame, write_png, FramePick};
use seedance_core::i18n::Message;
use serde_json::json;

use crate::cli::FrameArgs;
use crate::context::Ctx;
use crate::error::{CliError, CliResult, Exit};
use crate::out::Style;

pub fn run(ctx: &mut Ctx, args: FrameArgs) -> CliResult {
    let clip = clip_path(ctx, &args.clip)?;
    let pick = match (args.pick.index, args.pick.at) {
        (Some(n), _) => FramePick::Index(n),
        (_, Some(secs)) => FramePick::Time(secs),
        _ => FramePick::Last,
    };
    let frame = extract_frame(&clip, pick)?;
    write_png(&frame.image, &args.out)?;
    ctx.out.object(&json!({
        "clip": clip,
        "out": args.out,
        "index": frame.index,
        "time_secs": frame.time_secs,
        "width": frame.image.width(),
        "height": frame.image.height(),
    }));
    ctx.out.say_styled(
        Style::Good,
        &Message::new("msg.cli.frame_saved")
            .arg("frame", frame.index + 1)
            .arg("seconds", format!("{:.3}", frame.time_secs))
            .arg("width", frame.image.width())
            .arg("height", frame.image.height())
            .arg("path", args.out.as_path()),
    );
    Ok(Exit::Done)
}

/// The file `clip` names, or the video of the job with that id.
fn clip_path(ctx: &mut Ctx, clip: &str) -> CliResult<PathBuf> {
    let path = PathBuf::from(clip);
    if path.exists() {
        return Ok(path);
    }
    let job = ctx.store()?.get_job(clip)?;
    job.output_path.map(PathBuf::from).ok_or_else(|| {
        CliError::new(
            "job_has_no_video",
            Message::new("msg.cli.job_has_no_video").arg("id", clip),
        )
        .with_exit(Exit::Usage)
    })
}
