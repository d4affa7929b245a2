"""Chrome removal decided by the shape of lines, not by particular sites:
the same rules on pages the seeds never showed."""
from scraper import chrome
from scraper.extract import extract

REPORT = ("เมื่อวันที่ 12 มีนาคม 2567 ณ ห้องประชุมศาลากลางจังหวัดน่าน นายตัวอย่าง ทดสอบ ผู้ว่าราชการจังหวัดน่าน "
          "เป็นประธานเปิดเวทีธรรมนูญตำบลสุจริต มีผู้เข้าร่วมกว่า 120 คน")
SECOND = "ทั้งนี้ ที่ประชุมได้ร่วมกันกำหนดแนวทางการขับเคลื่อนธรรมนูญตำบลในปีต่อไป เพื่อให้ทุกตำบลมีกติกาชุมชนร่วมกัน"


def test_widget_lines_anywhere_are_chrome():
    for line in ("- 1,204 views", "อ่าน 532 ครั้ง", "แชร์", "Share on Facebook", "Leave a Comment", "ข่าวล่าสุด",
                 "อ่านต่อ...", "หน้าแรก | ข่าว | ติดต่อเรา", "IMG_2031", "DSC 0012", "photo_2024-03-12.jpg",
                 "[gallery ids=\"1,2,3\"]", "TH EN", "ขนาดตัวอักษร ก ก ก", "Posted in News"):
        assert chrome.is_chrome(line), line
    for line in (REPORT, SECOND, "โดยใช้ กลยุทธ์", "- สานพลัง หน่วยงาน ภาคีที่เกี่ยวข้อง", "https://shorturl.asia/68zhy"):
        assert not chrome.is_chrome(line), line


def test_real_image_links_become_images_not_text():
    text = f"เวทีธรรมนูญตำบลสุจริต จังหวัดน่าน\n\n{REPORT}\n\nhttps://example.org/photos/nan-2024-01.jpg\n\n{SECOND}\n"
    r = extract(text, "t")
    assert r.images == ("https://example.org/photos/nan-2024-01.jpg",)
    assert "example.org" not in r.body


def test_teasers_after_the_report_are_dropped_and_the_report_kept():
    text = (f"เวทีธรรมนูญตำบลสุจริต จังหวัดน่าน\n\n{REPORT}\n\n{SECOND}\n"
            "ผู้ว่าฯ น่าน เปิดงานกาชาดประจำปี 15 ธันวาคม 2566 ณ สนามกีฬาจังหวัดน่าน\n\n"
            "ผู้ว่าฯ น่าน เปิดงานกาชาดประจำปี 15 ธันวาคม 2566 ณ สนามกีฬาจังหวัดน่าน เมื่อวันที่ 15 ธ...\n\n"
            "บทความ\n")
    r = extract(text, "t")
    assert "กาชาด" not in r.body
    assert r.body.strip().endswith(SECOND)
    assert r.date.isoformat() == "2024-03-12"


def test_headline_printed_twice_appears_once_as_title_only():
    head = "เวทีธรรมนูญตำบลสุจริต จังหวัดน่าน"
    text = f"ข่าวประชาสัมพันธ์\n{head}\n\n {head} \n\n- 12 views\n{REPORT}\n\n{SECOND}\n\nแบ่งปัน\nSubmit to Facebook\n"
    r = extract(text, "t")
    assert r.title == head
    assert head not in r.body
    assert r.body.strip().split("\n\n") == [REPORT, SECOND]


def test_labels_above_and_below_the_report_go_short_lines_inside_stay():
    text = (f"ภูมิภาค\nadmin2\n\nเวทีธรรมนูญตำบลสุจริต จังหวัดน่าน\n\nภาพหมู่\n{REPORT}\n\nโดยใช้ กลยุทธ์\n\n{SECOND}\n\n"
            "ป้ายกำกับ\n")
    r = extract(text, "t")
    assert r.body.strip().split("\n\n") == [REPORT, "โดยใช้ กลยุทธ์", SECOND]


def test_related_list_after_the_report_is_cut_at_its_heading():
    text = (f"เวทีธรรมนูญตำบลสุจริต จังหวัดน่าน\n\n{REPORT}\n\n{SECOND}\n\nข่าวที่เกี่ยวข้อง\n"
            "ป.ป.ช.แพร่ จัดอบรมเครือข่ายเฝ้าระวังการทุจริตประจำปี\n"
            "ผู้ว่าฯ ลำปาง มอบนโยบายป้องกันการทุจริตแก่หัวหน้าส่วนราชการ\n")
    r = extract(text, "t")
    assert r.body.strip().split("\n\n") == [REPORT, SECOND]
    assert r.provinces == ("nan",)


def test_masthead_counter_and_site_name_are_not_the_headline():
    text = ("สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ\n\n"
            "เวทีธรรมนูญตำบลสุจริต จังหวัดน่าน | ข่าวภาคเหนือ\n\nอ่านแล้ว 1,234 ครั้ง\n\n"
            f"{REPORT}\n\n{SECOND}\n")
    r = extract(text, "t")
    assert r.title == "เวทีธรรมนูญตำบลสุจริต จังหวัดน่าน"
    assert "อ่านแล้ว" not in r.body and "สำนักงานคณะกรรมการป้องกัน" not in r.body


def test_social_post_emoji_hashtags_and_blog_stamp():
    text = (f"Posted on March 12, 2024 by admin\n\n📌 เวทีธรรมนูญตำบลสุจริต จังหวัดน่าน\n\n{REPORT} 👏👏\n\n"
            "#ป.ป.ช. #ต้านทุจริต #ธรรมนูญตำบล\n\nShare this:\nTwitter\nLike Loading...\n")
    r = extract(text, "t")
    assert r.title == "เวทีธรรมนูญตำบลสุจริต จังหวัดน่าน"
    assert r.published.isoformat() == "2024-03-12" and r.date.isoformat() == "2024-03-12"
    assert r.body.strip() == REPORT + " 👏👏"


def test_page_opening_with_its_first_sentence_gets_a_built_headline():
    first = ("ภาคีเครือข่ายธรรมาภิบาลแห่งชาติ ได้จัดโครงการอบรมหลักสูตรธรรมาภิบาลผู้นำท้องถิ่น โดยได้จัดงานขึ้นในวันที่ "
             "6 สิงหาคม 2565 ณ ห้องประชุมกอล์ฟวิวล์ ตำบลคลองหนึ่ง อำเภอคลองหลวง จังหวัดปทุมธานี")
    r = extract(f"{first}\n{SECOND}\n", "t")
    assert r.title == "ภาคีเครือข่ายธรรมาภิบาลแห่งชาติ จัดโครงการอบรมหลักสูตรธรรมาภิบาลผู้นำท้องถิ่น ที่จังหวัดปทุมธานี"
    assert r.body.startswith(first)
    assert r.date.isoformat() == "2022-08-06"


def test_an_english_sentence_in_the_report_is_kept():
    quote = "The network agreed that every sub-district will publish its charter and its budget online."
    assert not chrome.is_chrome(quote)
    r = extract(f"เวทีธรรมนูญตำบลสุจริต จังหวัดน่าน\n\n{REPORT}\n\n{quote}\n\n{SECOND}\n", "t")
    assert quote in r.body


def test_a_word_wrapped_across_lines_is_glued_back():
    text = ("ประชุมเครือข่ายเฝ้าระวังการทุจริตจังหวัดน่าน\n\nเมื่อวันที่ 5 เมษายน 2567 สำนักงาน ป.ป.ช. "
            "จัดประชุมเครือข่ายเฝ้าระวังการทุจร\nิตในจังหวัดน่าน มีผู้เข้าร่วม 80 คน\nโดยมีผู้แทนทุกอำเภอร่วมหารือแนวทางเฝ้าระวัง\n")
    r = extract(text, "t")
    assert "การทุจริตในจังหวัดน่าน" in r.body
    assert r.body.strip().split("\n\n")[1] == "โดยมีผู้แทนทุกอำเภอร่วมหารือแนวทางเฝ้าระวัง"   # a real break stays
