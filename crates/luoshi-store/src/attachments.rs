//! Files attached to progress reports.

use crate::{Arg, AuditCtx, Db, StoreError, Tx, args, audit};
use luoshi_domain::ids::{RegionId, ReportId, TaskId};
use serde_json::json;
use uuid::Uuid;

/// What is known about an attachment without its content.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentMeta {
    pub id: Uuid,
    pub task: TaskId,
    pub report: ReportId,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

pub async fn insert(
    tx: &mut Tx,
    ctx: &AuditCtx,
    meta: &AttachmentMeta,
    content: Vec<u8>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO attachments (region_id, id, task_id, report_id, filename, content_type, size, sha256, content, uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        vec![
            ctx.region.into(),
            meta.id.into(),
            meta.task.into(),
            meta.report.into(),
            meta.filename.clone().into(),
            meta.content_type.clone().into(),
            meta.size.into(),
            meta.sha256.clone().into(),
            Arg::Bytes(content),
            ctx.at.into(),
            ctx.actor.into(),
        ],
    )
    .await?;
    let after = json!({"task_id": meta.task.to_string(), "report_id": meta.report.to_string(), "filename": meta.filename,
                       "content_type": meta.content_type, "size": meta.size, "sha256": meta.sha256});
    audit::record(
        tx,
        ctx,
        "append",
        "attachment",
        &meta.id.to_string(),
        None,
        Some(after),
    )
    .await
}

const META: &str = "id, task_id, report_id, filename, content_type, size, sha256";

fn meta_row(r: &dyn crate::Get) -> Result<AttachmentMeta, StoreError> {
    Ok(AttachmentMeta {
        id: r.uuid("id")?,
        task: r.id("task_id")?,
        report: r.id("report_id")?,
        filename: r.text("filename")?,
        content_type: r.text("content_type")?,
        size: r.i64("size")?,
        sha256: r.text("sha256")?,
    })
}

/// A task's attachments (without content), oldest first.
pub async fn for_task(
    db: &Db,
    region: RegionId,
    task: TaskId,
) -> Result<Vec<AttachmentMeta>, StoreError> {
    let sql = format!(
        "SELECT {META} FROM attachments WHERE region_id = $1 AND task_id = $2 ORDER BY uploaded_at, id"
    );
    db.fetch(&sql, args![region, task], meta_row).await
}

/// One attachment with its content.
pub async fn get(
    db: &Db,
    region: RegionId,
    id: Uuid,
) -> Result<(AttachmentMeta, Vec<u8>), StoreError> {
    let sql = format!("SELECT {META}, content FROM attachments WHERE region_id = $1 AND id = $2");
    db.fetch_optional(&sql, args![region, id], |r| {
        Ok((meta_row(r)?, r.bytes("content")?))
    })
    .await?
    .ok_or(StoreError::NotFound {
        entity: "attachment",
    })
}
