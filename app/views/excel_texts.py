"""What the Excel screens say, in Thai and English (the screens pick by the user's language)."""
from __future__ import annotations

from app.domain.statuses import by_language

TEXTS: dict[str, tuple[str, str]] = {
    "import_title": ("นำเข้าทะเบียนจาก Excel", "Import a register from Excel"),
    "import_intro": ("อัปโหลดไฟล์ .xlsx หรือ .xls จาก Excel หรือ .ods จาก LibreOffice "
                     "ระบบจะตรวจทุกแถวและแสดงผลให้ตรวจสอบก่อนบันทึก",
                     "Upload an .xlsx or .xls file from Excel, or an .ods from LibreOffice: every row is checked and "
                     "shown to you before anything is saved."),
    "file": ("ไฟล์ตาราง (Excel หรือ LibreOffice)", "Spreadsheet file (Excel or LibreOffice)"),
    "agency": ("หน่วยงานเจ้าของเรื่อง", "Agency the cases belong to"),
    "choose": ("— เลือก —", "— choose —"),
    "upload": ("อัปโหลดและตรวจสอบ", "Upload and check"),
    "template": ("ดาวน์โหลดแบบฟอร์ม (ไทย/อังกฤษ)", "Download the template (Thai/English)"),
    "template_th": ("แบบฟอร์มหัวตารางภาษาไทย", "Template with Thai headers"),
    "template_en": ("แบบฟอร์มหัวตารางภาษาอังกฤษ", "Template with English headers"),
    "limits": ("ไฟล์ไม่เกิน {mb} MB ไม่เกิน 200,000 แถว 100 คอลัมน์ และ 6 ล้านเซลล์",
               "At most {mb} MB, 200,000 rows, 100 columns and 6 million cells"),
    "choose_file": ("กรุณาเลือกไฟล์ Excel หรือ LibreOffice", "Choose an Excel or LibreOffice file"),
    "cancelled": ("ยกเลิกการนำเข้าแล้ว ไม่มีการบันทึกข้อมูล", "The import was cancelled; nothing was saved"),
    "not_cancelled": ("ไฟล์นี้กำลังบันทึกหรือบันทึกไปแล้ว จึงยกเลิกไม่ได้ ผลการนำเข้าแสดงอยู่ด้านล่าง",
                      "This file is being saved or was saved already, so it cannot be cancelled; the import's "
                      "result is below"),
    "checking": ("กำลังตรวจสอบไฟล์…", "Checking the file…"),
    "committing": ("กำลังบันทึก…", "Saving…"),
    "stage_read": ("อ่านไฟล์", "Reading the file"),
    "stage_check": ("ตรวจสอบแถว", "Checking rows"),
    "stage_match": ("ค้นหาเรื่องเดิม", "Finding existing cases"),
    "stage_write": ("บันทึกเรื่อง", "Writing cases"),
    "preview_title": ("ผลการตรวจสอบ", "Check results"),
    "done_title": ("นำเข้าเรียบร้อย", "Import done"),
    "failed_title": ("นำเข้าไม่สำเร็จ", "The import did not go through"),
    "new": ("เรื่องใหม่", "New"),
    "updated": ("แก้ไข", "Updated"),
    "unchanged": ("ไม่เปลี่ยนแปลง", "Unchanged"),
    "errors": ("แถวที่ผิดพลาด", "Rows with errors"),
    "header_row": ("แถวหัวตาราง", "Header row"),
    "first_errors": ("ข้อผิดพลาดแรก ๆ", "First errors"),
    "row": ("แถว", "Row"),
    "column": ("คอลัมน์", "Column"),
    "message": ("ข้อความ", "Message"),
    "commit": ("บันทึกทั้งไฟล์", "Commit"),
    "commit_valid": ("บันทึกเฉพาะแถวที่ถูกต้อง", "Commit valid rows only"),
    "cancel": ("ยกเลิก", "Cancel"),
    "download_errors": ("ดาวน์โหลดแถวที่ผิดพลาด (.xlsx)", "Download the rows with errors (.xlsx)"),
    "all_or_nothing": ("บันทึกทั้งไฟล์ได้เมื่อไม่มีแถวที่ผิดพลาด หากมีจะไม่บันทึกข้อมูลใด ๆ",
                       "Commit writes the whole file, or nothing if any row has an error."),
    "to_cases": ("ไปที่รายการเรื่อง", "Go to the case list"),
    "again": ("นำเข้าไฟล์อื่น", "Import another file"),
    "written": ("บันทึกแล้ว: เรื่องใหม่ {new} เรื่อง ปรับปรุง {updated} เรื่อง",
                "Written: {new} new cases, {updated} updated"),
    "written_skipped": ("แถวที่มีข้อผิดพลาด {errors} แถวไม่ได้นำเข้า (ดาวน์โหลดไฟล์ข้อผิดพลาดด้านล่างเพื่อแก้ไขแล้วนำเข้าใหม่)",
                        "the {errors} rows with errors were left out (download them below to correct and import)"),
    "monthly_title": ("รายงานประจำเดือนสำหรับผู้บริหาร", "Monthly management report"),
    "monthly_intro": ("สรุปรายหน่วยงาน เรื่องเกินกำหนด และจำนวนตามประเภทเรื่อง เป็นไฟล์ Excel",
                      "A summary per agency, the SLA breaches and the cases by type, as an Excel workbook."),
    "month": ("เดือน", "Month"),
    "download": ("ดาวน์โหลด", "Download"),
    "export_button": ("ส่งออกเป็น Excel", "Export to Excel"),
    "export_confirm_title": ("ส่งออกรายการยาว", "Export a long list"),
    "export_confirm": ("รายการนี้มีมากกว่า {rows} เรื่อง ระบบจะสร้างไฟล์ส่งออกเบื้องหลัง แล้วดาวน์โหลดให้เมื่อเสร็จ",
                       "This list holds more than {rows} cases: its export is written in the background and "
                       "downloaded when it is ready."),
    "export_start": ("เริ่มส่งออก", "Start the export"),
    "export_running": ("ท่านมีไฟล์ส่งออกที่กำลังสร้างอยู่ ดูความคืบหน้าได้ที่นี่ เมื่อเสร็จแล้วจึงส่งออกรายการอื่นได้",
                       "An export of yours is still being written: here is its progress. Export another list "
                       "once it is done."),
    "export_writing": ("กำลังสร้างไฟล์ส่งออก…", "Making the export…"),
    "export_done": ("ไฟล์ส่งออกพร้อมแล้ว", "The export is ready"),
    "export_failed": ("ส่งออกไม่สำเร็จ", "The export did not go through"),
    "export_rows": ("{rows} เรื่อง", "{rows} cases"),
    "export_download_started": ("เริ่มดาวน์โหลดแล้ว หากไม่เริ่มเอง กดปุ่มดาวน์โหลด",
                                "The download has started; if it did not, use the button."),
    "export_unread_filter": ("ไม่ได้ส่งออก: อ่านตัวกรองวันที่ไม่ได้ กรุณาแก้ตัวกรองในรายการก่อน แล้วจึงส่งออก",
                             "Nothing was exported: a date filter could not be read. Correct it on the list, then export."),
    "export_keep": ("ไฟล์จะเก็บไว้ให้ดาวน์โหลดได้ 2 ชั่วโมง", "The file can be downloaded for 2 hours."),
    "stage_export": ("เขียนแถว", "Writing rows"),
}


_BY_LANGUAGE = by_language(TEXTS)


def texts(lang: str) -> dict[str, str]:
    return _BY_LANGUAGE["th" if lang == "th" else "en"]
