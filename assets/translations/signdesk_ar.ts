<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name></name>
    <message>
        <source>&amp;Open video…</source>
        <translation>&amp;فتح فيديو…</translation>
    </message>
    <message>
        <source>Open a video file to recognize</source>
        <translation>افتح ملف فيديو للتعرّف على إشاراته</translation>
    </message>
    <message>
        <source>Open &amp;model…</source>
        <translation>فتح &amp;نموذج…</translation>
    </message>
    <message>
        <source>Load a sign model (.onnx with labels.json beside it)</source>
        <translation>حمّل نموذج إشارات (ملف ‎.onnx وبجانبه labels.json)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;خروج</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>إ&amp;يقاف مؤقت</translation>
    </message>
    <message>
        <source>Pause or resume the camera or video</source>
        <translation>أوقف الكاميرا أو الفيديو مؤقتًا أو استأنفه</translation>
    </message>
    <message>
        <source>&amp;Replay</source>
        <translation>إعادة ال&amp;تشغيل</translation>
    </message>
    <message>
        <source>Play the video again from the start</source>
        <translation>شغّل الفيديو من بدايته مرة أخرى</translation>
    </message>
    <message>
        <source>Use &amp;camera</source>
        <translation>استخدام ال&amp;كاميرا</translation>
    </message>
    <message>
        <source>Go back to the camera</source>
        <translation>العودة إلى الكاميرا</translation>
    </message>
    <message>
        <source>&amp;Next camera</source>
        <translation>الكاميرا ال&amp;تالية</translation>
    </message>
    <message>
        <source>Switch to the next camera</source>
        <translation>الانتقال إلى الكاميرا التالية</translation>
    </message>
    <message>
        <source>&amp;Look for cameras again</source>
        <translation>ال&amp;بحث عن الكاميرات مجددًا</translation>
    </message>
    <message>
        <source>Look for cameras again</source>
        <translation>البحث عن الكاميرات مجددًا</translation>
    </message>
    <message>
        <source>&amp;Mirror</source>
        <translation>&amp;مرآة</translation>
    </message>
    <message>
        <source>Show the picture mirrored, like a mirror (recognition is unaffected)</source>
        <translation>اعرض الصورة معكوسة كما في المرآة (لا يتأثر التعرّف بذلك)</translation>
    </message>
    <message>
        <source>&amp;Landmarks</source>
        <translation>&amp;نقاط الجسم</translation>
    </message>
    <message>
        <source>Draw the hands, face and arms the app sees</source>
        <translation>ارسم اليدين والوجه والذراعين كما يراها التطبيق</translation>
    </message>
    <message>
        <source>&amp;Picture</source>
        <translation>ال&amp;صورة</translation>
    </message>
    <message>
        <source>Show the camera picture (off: only the landmarks, on a dark panel)</source>
        <translation>اعرض صورة الكاميرا (عند إيقافها: نقاط الجسم وحدها على خلفية داكنة)</translation>
    </message>
    <message>
        <source>&amp;Voice</source>
        <translation>ال&amp;صوت</translation>
    </message>
    <message>
        <source>Say each recognized sign aloud</source>
        <translation>انطق كل إشارة يُتعرَّف عليها بصوت مسموع</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>ملء ال&amp;شاشة</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>نص أ&amp;كبر</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>نص أ&amp;صغر</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>حجم النص ال&amp;عادي</translation>
    </message>
    <message>
        <source>&amp;Stricter (threshold +5%)</source>
        <translation>أكثر &amp;صرامة (العتبة ‎+5%)</translation>
    </message>
    <message>
        <source>&amp;More lenient (threshold −5%)</source>
        <translation>أكثر &amp;تساهلًا (العتبة ‎−5%)</translation>
    </message>
    <message>
        <source>&amp;Clear recent signs</source>
        <translation>م&amp;سح الإشارات الأخيرة</translation>
    </message>
    <message>
        <source>Analyse &amp;every frame</source>
        <translation>تحليل &amp;كل إطار</translation>
    </message>
    <message>
        <source>Video files: analyse every frame, slowing playback if needed</source>
        <translation>ملفات الفيديو: حلّل كل إطار، مع إبطاء التشغيل عند الحاجة</translation>
    </message>
    <message>
        <source>S&amp;lower</source>
        <translation>أ&amp;بطأ</translation>
    </message>
    <message>
        <source>Play videos slower</source>
        <translation>شغّل الفيديو بسرعة أبطأ</translation>
    </message>
    <message>
        <source>&amp;Faster</source>
        <translation>أ&amp;سرع</translation>
    </message>
    <message>
        <source>Play videos faster</source>
        <translation>شغّل الفيديو بسرعة أكبر</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>م&amp;ساعدة</translation>
    </message>
    <message>
        <source>&amp;Vocabulary…</source>
        <translation>&amp;المفردات…</translation>
    </message>
    <message>
        <source>Search the signs the model knows</source>
        <translation>ابحث في الإشارات التي يعرفها النموذج</translation>
    </message>
    <message>
        <source>&amp;Model card…</source>
        <translation>&amp;بطاقة النموذج…</translation>
    </message>
    <message>
        <source>What the model knows, how it was trained, how accurate it is</source>
        <translation>ما يعرفه النموذج، وكيف دُرِّب، ومدى دقته</translation>
    </message>
    <message>
        <source>&amp;About and licences…</source>
        <translation>&amp;حول البرنامج والتراخيص…</translation>
    </message>
    <message>
        <source>&amp;Welcome and language…</source>
        <translation>ال&amp;ترحيب واللغة…</translation>
    </message>
    <message>
        <source>Choose the interface language and the sign language again</source>
        <translation>اختر لغة الواجهة ولغة الإشارة من جديد</translation>
    </message>
    <message>
        <source>&amp;Teach a sign…</source>
        <translation>&amp;علّم إشارة…</translation>
    </message>
    <message>
        <source>Record a sign of your own, at the camera or from video files, for signdesk to recognize</source>
        <translation>سجّل إشارة خاصة بك أمام الكاميرا أو من ملفات فيديو ليتعرّف عليها signdesk</translation>
    </message>
    <message>
        <source>Teach a sign</source>
        <translation>علّم إشارة</translation>
    </message>
    <message>
        <source>&amp;My signs…</source>
        <translation>إ&amp;شاراتي…</translation>
    </message>
    <message>
        <source>See, rename, record again or delete the signs you taught</source>
        <translation>اعرض الإشارات التي علّمتها، أو أعد تسميتها أو تسجيلها أو احذفها</translation>
    </message>
    <message>
        <source>&amp;Import pack…</source>
        <translation>ا&amp;ستيراد حزمة…</translation>
    </message>
    <message>
        <source>Add the signs of a pack (from a teacher, a class)</source>
        <translation>أضف إشارات حزمة (من معلّم أو من صفّ)</translation>
    </message>
    <message>
        <source>&amp;Recognize</source>
        <translation>ال&amp;تعرّف</translation>
    </message>
    <message>
        <source>Recognize signs live: the picture and the recognized sign</source>
        <translation>تعرّف على الإشارات مباشرة: الصورة والإشارة المتعرَّف عليها</translation>
    </message>
    <message>
        <source>P&amp;ractice</source>
        <translation>ال&amp;تدريب</translation>
    </message>
    <message>
        <source>Practise signs: pick one, sign it, see whether it was recognized and why</source>
        <translation>تدرّب على الإشارات: اختر إشارة، وأدِّها، واعرف هل تُعرِّف عليها ولماذا</translation>
    </message>
    <message>
        <source>Pre&amp;senter</source>
        <translation>وضع ال&amp;عرض</translation>
    </message>
    <message>
        <source>The recognized word huge, full screen, for a projector (Esc to go back)</source>
        <translation>الكلمة المتعرَّف عليها بخط ضخم وبملء الشاشة، لجهاز العرض (Esc للرجوع)</translation>
    </message>
    <message>
        <source>&amp;Export pack…</source>
        <translation>ت&amp;صدير حزمة…</translation>
    </message>
    <message>
        <source>Save your signs as a pack to share</source>
        <translation>احفظ إشاراتك في حزمة لمشاركتها</translation>
    </message>
    <message>
        <source>Practice pro&amp;gress…</source>
        <translation>ت&amp;قدّم التدريب…</translation>
    </message>
    <message>
        <source>Your practice over the days and sign by sign; export it as CSV</source>
        <translation>تدريبك على مرّ الأيام وإشارةً إشارة، مع إمكانية تصديره بصيغة CSV</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>الرئيسي</translation>
    </message>
    <message>
        <source>Camera or video being recognized</source>
        <translation>الكاميرا أو الفيديو الجاري التعرّف عليه</translation>
    </message>
    <message>
        <source>Camera resolution</source>
        <translation>دقة الكاميرا</translation>
    </message>
    <message>
        <source>Recognize</source>
        <translation>التعرّف</translation>
    </message>
    <message>
        <source>Practice</source>
        <translation>التدريب</translation>
    </message>
    <message>
        <source>Presenter</source>
        <translation>وضع العرض</translation>
    </message>
    <message>
        <source>Recognize, practise, or present on a projector (Ctrl+1, Ctrl+2, Ctrl+3)</source>
        <translation>التعرّف أو التدريب أو العرض على جهاز عرض (Ctrl+1، Ctrl+2، Ctrl+3)</translation>
    </message>
    <message>
        <source> View </source>
        <translation> العرض </translation>
    </message>
    <message>
        <source> Source </source>
        <translation> المصدر </translation>
    </message>
    <message>
        <source>Video: %1</source>
        <translation>فيديو: %1</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>حسب النظام</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>فاتح</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>داكن</translation>
    </message>
    <message>
        <source>1 frame (smoothest, most CPU)</source>
        <translation>إطار واحد (الأكثر سلاسة، والأعلى استهلاكًا للمعالج)</translation>
    </message>
    <message>
        <source>%1 frames</source>
        <translation>%1 إطارات</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;ملف</translation>
    </message>
    <message>
        <source>&amp;Source</source>
        <translation>ال&amp;مصدر</translation>
    </message>
    <message>
        <source>&amp;Resolution</source>
        <translation>ال&amp;دقة</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;عرض</translation>
    </message>
    <message>
        <source>Present &amp;on</source>
        <translation>ال&amp;عرض على</translation>
    </message>
    <message>
        <source>Put the presenter view full screen on this screen</source>
        <translation>اعرض وضع العرض بملء هذه الشاشة</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>ال&amp;سمة</translation>
    </message>
    <message>
        <source>&amp;Recognition</source>
        <translation>ال&amp;تعرّف</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>ال&amp;نموذج</translation>
    </message>
    <message>
        <source>Recognize &amp;every…</source>
        <translation>التعرّف &amp;كل…</translation>
    </message>
    <message>
        <source>Si&amp;gns</source>
        <translation>الإ&amp;شارات</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>ال&amp;تشغيل</translation>
    </message>
    <message>
        <source>Speed %1×</source>
        <translation>السرعة %1×</translation>
    </message>
    <message>
        <source>Screen %1: %2 (second screen)</source>
        <translation>الشاشة %1: %2 (الشاشة الثانية)</translation>
    </message>
    <message>
        <source>Screen %1: %2</source>
        <translation>الشاشة %1: %2</translation>
    </message>
    <message>
        <source>No bundled model installed</source>
        <translation>لا يوجد نموذج مرفق مثبّت</translation>
    </message>
    <message>
        <source>## Practising a sign

1. Sit about an arm&apos;s length from the camera, with your head, shoulders and hands in the picture
   and light on your face (not behind you).
2. **Raise your hands** to start a sign. The picture shows *● Signing* while your hands are up and
   the right-hand side shows the model&apos;s best guess so far.
3. **Lower your hands** when the sign is done. The final result appears in large type with its
   English meaning, a confidence bar and the next four candidates, and it is added to *Recent signs*.
4. If the confidence is below your threshold the app says **Not sure** instead of guessing.
   Move the threshold slider to make it stricter or more lenient.

Video files (File → Open video, or drag one onto the window) are recognized the same way, at the
video&apos;s own speed; Playback can slow them down or analyse every frame.

The coloured lines are what the app sees: shoulders and arms (white), face contour (blue), your
right hand (orange) and your left hand (green). If a hand has no lines, the app cannot see it.
</source>
        <translation>## التدرّب على إشارة

1. اجلس على بُعد ذراع تقريبًا من الكاميرا، بحيث يظهر رأسك وكتفاك ويداك في الصورة،
   ويكون الضوء على وجهك (لا خلفك).
2. **ارفع يديك** لبدء الإشارة. تُظهر الصورة «● جارٍ أداء الإشارة» ما دامت يداك مرفوعتين،
   ويعرض الجانب الآخر أفضل تخمين للنموذج حتى الآن.
3. **أنزل يديك** عند انتهاء الإشارة. تظهر النتيجة النهائية بخط كبير مع معناها بالإنجليزية،
   وشريط الثقة، والاحتمالات الأربعة التالية، وتُضاف إلى «الإشارات الأخيرة».
4. إذا كانت الثقة أقل من العتبة التي حددتها، يعرض التطبيق **غير متأكد** بدلًا من التخمين.
   حرّك منزلق العتبة لجعله أكثر صرامة أو أكثر تساهلًا.

يُتعرَّف على ملفات الفيديو (ملف&#xa0;←&#xa0;فتح فيديو، أو اسحب الملف إلى النافذة) بالطريقة نفسها، وبسرعة
الفيديو الأصلية؛ ويمكن من قائمة التشغيل إبطاؤها أو تحليل كل إطار.

الخطوط الملونة هي ما يراه التطبيق: الكتفان والذراعان (أبيض)، ومحيط الوجه (أزرق)، ويدك
اليمنى (برتقالي)، ويدك اليسرى (أخضر). إذا لم تظهر خطوط على يدٍ ما، فالتطبيق لا يراها.
</translation>
    </message>
    <message>
        <source>| Action | Shortcut |</source>
        <translation>| الإجراء | الاختصار |</translation>
    </message>
    <message>
        <source>The licence list is missing (%1).</source>
        <translation>قائمة التراخيص مفقودة (%1).</translation>
    </message>
    <message>
        <source>## No model loaded

No sign model is loaded, so nothing can be recognized. Use **File → Open model…** to load a `.onnx` model with its `labels.json`.</source>
        <translation>## لا يوجد نموذج محمّل

لم يُحمَّل أي نموذج إشارات، لذا لا يمكن التعرّف على شيء. استخدم **ملف&#xa0;←&#xa0;فتح نموذج…** لتحميل نموذج `.onnx` مع ملف `labels.json` الخاص به.</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>غير مذكورة</translation>
    </message>
    <message>
        <source>## %1

- Signs: **%2**
- Language: **%3**
- File: `%4`

</source>
        <translation>## %1

- الإشارات: **%2**
- اللغة: **%3**
- الملف: `%4`

</translation>
    </message>
    <message>
        <source>This model has no model card (MODEL_CARD.md beside it).</source>
        <translation>ليس لهذا النموذج بطاقة (ملف MODEL_CARD.md بجانبه).</translation>
    </message>
    <message>
        <source>The model card %1 cannot be read (%2).</source>
        <translation>تتعذّر قراءة بطاقة النموذج %1 (%2).</translation>
    </message>
    <message>
        <source>Search signs by name, meaning or id…</source>
        <translation>ابحث عن الإشارات بالاسم أو المعنى أو الرقم…</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>الإشارة</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>المعنى</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>الرقم</translation>
    </message>
    <message>
        <source>%1 signs</source>
        <translation>%1 إشارة</translation>
    </message>
    <message>
        <source>%1 of %2 signs match</source>
        <translation>%1 من %2 إشارة مطابقة</translation>
    </message>
    <message>
        <source>signdesk — help and about</source>
        <translation>signdesk — المساعدة وحول البرنامج</translation>
    </message>
    <message>
        <source>
## Keyboard shortcuts

</source>
        <translation>
## اختصارات لوحة المفاتيح

</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>المساعدة</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>النموذج</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>المفردات</translation>
    </message>
    <message>
        <source>## signdesk %1

Recognizes sign-language words live from a webcam, entirely on this computer: no video or landmark ever leaves it.

</source>
        <translation>## signdesk %1

يتعرّف على كلمات لغة الإشارة مباشرةً من كاميرا الويب، على هذا الحاسوب بالكامل: لا يغادره أي فيديو أو أي نقطة من نقاط الجسم.

</translation>
    </message>
    <message>
        <source>Licences</source>
        <translation>التراخيص</translation>
    </message>
    <message>
        <source>The landmark detector could not start</source>
        <translation>تعذّر تشغيل كاشف نقاط الجسم</translation>
    </message>
    <message>
        <source>The sign model failed</source>
        <translation>تعطّل نموذج الإشارات</translation>
    </message>
    <message>
        <source>Some settings were reset</source>
        <extracomment>Give up on a screenshot run after this long (seconds) without a result or the video&apos;s end. Window size for screenshots and demos, e.g. SIGNDESK_GEOMETRY=1920x1080. The presenter&apos;s activity (and sign) for ``--view presenter``, e.g. SIGNDESK_PRESENTER=show:0074. ``--view welcome``: the first-run dialog (again), or its screenshot with ``--screenshot``.</extracomment>
        <translation>أُعيد ضبط بعض الإعدادات</translation>
    </message>
    <message>
        <source>signdesk could not read all of its settings from %1, so these were set back to their defaults:
%2
Everything else is as you left it.</source>
        <translation>تعذّر على signdesk قراءة كل إعداداته من %1، فأُعيدت هذه إلى قيمها الافتراضية:
%2
أما سائر الإعدادات فكما تركتها.</translation>
    </message>
    <message>
        <source>The sign model could not be loaded</source>
        <translation>تعذّر تحميل نموذج الإشارات</translation>
    </message>
    <message>
        <source>Open a sign model</source>
        <translation>فتح نموذج إشارات</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>نماذج ONNX (*.onnx);;كل الملفات (*)</translation>
    </message>
    <message>
        <source>Open a video</source>
        <translation>فتح فيديو</translation>
    </message>
    <message>
        <source>Videos (%1);;All files (*)</source>
        <translation>ملفات الفيديو (%1);;كل الملفات (*)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>ا&amp;ستئناف</translation>
    </message>
    <message>
        <source>Video speed %1×</source>
        <translation>سرعة الفيديو %1×</translation>
    </message>
    <message>
        <source>You have not taught signdesk any signs yet.

Teach a sign with the camera or from video files, or import a pack from your teacher.</source>
        <translation>لم تعلّم signdesk أي إشارة بعد.

علّمه إشارة أمام الكاميرا أو من ملفات فيديو، أو استورد حزمة من معلّمك.</translation>
    </message>
    <message>
        <source>The signs you taught signdesk. It recognizes them beside the model&apos;s own signs; a sign named like one of the model&apos;s counts as that sign, signed your way.</source>
        <translation>الإشارات التي علّمتها لـ signdesk. يتعرّف عليها إلى جانب إشارات النموذج، والإشارة التي تحمل اسم إحدى إشارات النموذج تُحتسب تلك الإشارة نفسها بأسلوبك في أدائها.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Gloss</source>
        <translation>المعنى</translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>اللقطات</translation>
    </message>
    <message>
        <source>From</source>
        <translation>المصدر</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>آخر تعديل</translation>
    </message>
    <message>
        <source>Rename “%1”</source>
        <translation>إعادة تسمية «%1»</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>الا&amp;سم:</translation>
    </message>
    <message>
        <source>&amp;Gloss:</source>
        <translation>ال&amp;معنى:</translation>
    </message>
    <message>
        <source>Export 1 sign as a pack</source>
        <translation>تصدير إشارة واحدة في حزمة</translation>
    </message>
    <message>
        <source>Export %1 signs as a pack</source>
        <translation>تصدير %1 إشارة في حزمة</translation>
    </message>
    <message>
        <source>Optional, e.g. ASL, ArSL, DGS</source>
        <translation>اختياري، مثل: ASL أو ArSL أو DGS</translation>
    </message>
    <message>
        <source>Optional: your name or your class</source>
        <translation>اختياري: اسمك أو اسم صفّك</translation>
    </message>
    <message>
        <source>Pack &amp;name:</source>
        <translation>ا&amp;سم الحزمة:</translation>
    </message>
    <message>
        <source>Sign &amp;language:</source>
        <translation>&amp;لغة الإشارة:</translation>
    </message>
    <message>
        <source>&amp;Author:</source>
        <translation>ال&amp;مؤلف:</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>اختيار الملف…</translation>
    </message>
    <message>
        <source>&amp;Keep both</source>
        <translation>الإ&amp;بقاء على الاثنتين</translation>
    </message>
    <message>
        <source>&amp;Replace mine</source>
        <translation>ا&amp;ستبدال إشارتي</translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation>ت&amp;خطٍّ</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>إلغاء الاستيراد</translation>
    </message>
    <message>
        <source>Do the same for the other sign with a taken name</source>
        <translation>افعل الشيء نفسه مع الإشارة الأخرى ذات الاسم المستخدم</translation>
    </message>
    <message>
        <source>Do the same for the %1 other signs with a taken name</source>
        <translation>افعل الشيء نفسه مع الإشارات الأخرى ذات الأسماء المستخدمة (%1)</translation>
    </message>
    <message>
        <source>My signs</source>
        <translation>إشاراتي</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>فتح المجلد</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>إعادة ال&amp;تسمية…</translation>
    </message>
    <message>
        <source>Record &amp;again…</source>
        <translation>إعادة الت&amp;سجيل…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;حذف…</translation>
    </message>
    <message>
        <source>&amp;Export all…</source>
        <translation>ت&amp;صدير الكل…</translation>
    </message>
    <message>
        <source>pack “%1”</source>
        <translation>الحزمة «%1»</translation>
    </message>
    <message>
        <source>recorded by you</source>
        <translation>سجّلتها أنت</translation>
    </message>
    <message>
        <source>&amp;Export %1 selected…</source>
        <translation>ت&amp;صدير المحدد (%1)…</translation>
    </message>
    <message>
        <source>Select a sign to see it</source>
        <translation>حدّد إشارة لعرضها</translation>
    </message>
    <message>
        <source>Renaming…</source>
        <translation>جارٍ إعادة التسمية…</translation>
    </message>
    <message>
        <source>Renamed “%1” to “%2”.</source>
        <translation>أُعيدت تسمية «%1» إلى «%2».</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>جارٍ الحذف…</translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation>حُذفت: %1.</translation>
    </message>
    <message>
        <source>Import a pack of signs</source>
        <translation>استيراد حزمة إشارات</translation>
    </message>
    <message>
        <source>Sign packs (%1);;All files (*)</source>
        <translation>حزم الإشارات (%1);;كل الملفات (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>جارٍ قراءة %1…</translation>
    </message>
    <message>
        <source>Import of “%1” cancelled: nothing was changed.</source>
        <translation>أُلغي استيراد «%1»: لم يتغيّر شيء.</translation>
    </message>
    <message>
        <source>Importing “%1”…</source>
        <translation>جارٍ استيراد «%1»…</translation>
    </message>
    <message>
        <source>Save the pack</source>
        <translation>حفظ الحزمة</translation>
    </message>
    <message>
        <source>Exporting %1 signs…</source>
        <translation>جارٍ تصدير %1 إشارة…</translation>
    </message>
    <message>
        <source>Exported 1 sign to %1.</source>
        <translation>صُدِّرت إشارة واحدة إلى %1.</translation>
    </message>
    <message>
        <source>Exported %1 signs to %2.</source>
        <translation>صُدِّرت %1 إشارة إلى %2.</translation>
    </message>
    <message>
        <source>Progress…</source>
        <translation>التقدّم…</translation>
    </message>
    <message>
        <source>Your practice over the days, sign by sign, and export as CSV</source>
        <translation>تدريبك على مرّ الأيام، إشارةً إشارة، مع التصدير بصيغة CSV</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>الملخّص</translation>
    </message>
    <message>
        <source>Show only the signs of one category</source>
        <extracomment>Signs in one &quot;Drill&quot; round. Reference playback speeds offered (slower first: a learner copies a sign at half speed).</extracomment>
        <translation>اعرض إشارات فئة واحدة فقط</translation>
    </message>
    <message>
        <source>All signs</source>
        <translation>كل الإشارات</translation>
    </message>
    <message>
        <source>Drill %1</source>
        <translation>تمرين %1</translation>
    </message>
    <message>
        <source>%1 signs at random, one after another</source>
        <translation>%1 إشارات عشوائية، واحدة تلو الأخرى</translation>
    </message>
    <message>
        <source>Due for review</source>
        <translation>مستحقة للمراجعة</translation>
    </message>
    <message>
        <source>The signs your practice schedule brings back today</source>
        <translation>الإشارات التي يعيدها جدول تدريبك اليوم</translation>
    </message>
    <message>
        <source>Play the reference at this speed</source>
        <translation>شغّل النموذج المرجعي بهذه السرعة</translation>
    </message>
    <message>
        <source>Mirror</source>
        <translation>مرآة</translation>
    </message>
    <message>
        <source>Left-handed</source>
        <translation>أعسر</translation>
    </message>
    <message>
        <source>Compare the mirror image of your signing with the reference</source>
        <translation>قارن الصورة المعكوسة لأدائك بالنموذج المرجعي</translation>
    </message>
    <message>
        <source>Next sign</source>
        <translation>الإشارة التالية</translation>
    </message>
    <message>
        <source>Sign id %1</source>
        <translation>رقم الإشارة %1</translation>
    </message>
    <message>
        <source>Practice summary</source>
        <translation>ملخّص التدريب</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>جارٍ فتح %1…</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>مباشر</translation>
    </message>
    <message>
        <source>Quiz the class</source>
        <translation>اختبار الصف</translation>
    </message>
    <message>
        <source>Show the sign</source>
        <translation>عرض الإشارة</translation>
    </message>
    <message>
        <source>Class practice</source>
        <translation>تدريب الصف</translation>
    </message>
    <message>
        <source>The model&apos;s signs</source>
        <translation>إشارات النموذج</translation>
    </message>
    <message>
        <source>Pack: %1</source>
        <translation>حزمة: %1</translation>
    </message>
    <message>
        <source>Category: %1</source>
        <translation>فئة: %1</translation>
    </message>
    <message>
        <source>The signs to step through</source>
        <translation>الإشارات التي يُتنقَّل بينها</translation>
    </message>
    <message>
        <source>Type part of a sign&apos;s name or meaning to find it (key /)</source>
        <translation>اكتب جزءًا من اسم الإشارة أو معناها للعثور عليها (المفتاح /)</translation>
    </message>
    <message>
        <source>Find a sign…</source>
        <translation>ابحث عن إشارة…</translation>
    </message>
    <message>
        <source>Previous sign (Left or Page Up)</source>
        <translation>الإشارة السابقة (السهم الأيسر أو Page Up)</translation>
    </message>
    <message>
        <source>Next sign (Right, Page Down or N)</source>
        <translation>الإشارة التالية (السهم الأيمن أو Page Down أو N)</translation>
    </message>
    <message>
        <source>Play the sign at this speed (S: slower)</source>
        <translation>شغّل الإشارة بهذه السرعة (S: أبطأ)</translation>
    </message>
    <message>
        <source>Show the sign as in a mirror, as the class copies it (key M)</source>
        <translation>اعرض الإشارة كما في المرآة، كما يقلّدها الصف (المفتاح M)</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>كشف</translation>
    </message>
    <message>
        <source>Show the hidden answer (Space)</source>
        <translation>اكشف الإجابة المخفية (مسافة)</translation>
    </message>
    <message>
        <source>Present full screen on this screen (key O: the next screen)</source>
        <translation>اعرض بملء هذه الشاشة (المفتاح O: الشاشة التالية)</translation>
    </message>
    <message>
        <source>Q quiz · C clear · F freeze · H hide controls · Esc back</source>
        <extracomment>What each activity&apos;s keys are, in the strip.</extracomment>
        <translation>Q اختبار · C مسح · F تجميد · H إخفاء الأدوات · Esc رجوع</translation>
    </message>
    <message>
        <source>Space reveal · C clear · F freeze · Esc back</source>
        <translation>مسافة كشف · C مسح · F تجميد · Esc رجوع</translation>
    </message>
    <message>
        <source>→ ← next/previous · S slower · Space pause · / find · Esc back</source>
        <translation>→&#xa0;←&#xa0;التالي/السابق · S أبطأ · مسافة إيقاف مؤقت · / بحث · Esc رجوع</translation>
    </message>
    <message>
        <source>→ or Space next sign · ← previous · C new score · / find · Esc back</source>
        <translation>→ أو مسافة الإشارة التالية ·&#xa0;←&#xa0;السابقة · C نتيجة جديدة · / بحث · Esc رجوع</translation>
    </message>
    <message>
        <source>Your turn: sign it!</source>
        <translation>دورك: أدِّ الإشارة!</translation>
    </message>
    <message>
        <source>Class score %1 / %2</source>
        <translation>نتيجة الصف %1 / %2</translation>
    </message>
    <message>
        <source>✓ Correct!</source>
        <translation>✓ صحيح!</translation>
    </message>
    <message>
        <source>Confidence %1</source>
        <translation>الثقة %1</translation>
    </message>
    <message>
        <source>Taken for %1, %2</source>
        <translation>فُهمت على أنها %1، ‏%2</translation>
    </message>
    <message>
        <source>✗ Not quite</source>
        <translation>✗ ليس تمامًا</translation>
    </message>
    <message>
        <source>This sign: not in the top %1</source>
        <translation>هذه الإشارة: ليست ضمن أول %1</translation>
    </message>
    <message>
        <source>This sign: %1, ranked #%2</source>
        <translation>هذه الإشارة: %1، في المرتبة %2</translation>
    </message>
    <message>
        <source>signdesk · presenter controls</source>
        <translation>signdesk · أدوات التحكم في العرض</translation>
    </message>
    <message>
        <source>No reference animation for this sign</source>
        <translation>لا يوجد نموذج مرجعي متحرك لهذه الإشارة</translation>
    </message>
    <message>
        <source>No signs in this list</source>
        <extracomment>Signs kept in the running transcript. The word&apos;s font height as a share of the view&apos;s height (the brief: at least 1/6).</extracomment>
        <translation>لا توجد إشارات في هذه القائمة</translation>
    </message>
    <message>
        <source>sign %1 of %2</source>
        <translation>الإشارة %1 من %2</translation>
    </message>
    <message>
        <source>%1 speed</source>
        <translation>السرعة %1</translation>
    </message>
    <message>
        <source>mirrored</source>
        <translation>معكوسة</translation>
    </message>
    <message>
        <source>paused (Space)</source>
        <translation>متوقفة مؤقتًا (مسافة)</translation>
    </message>
    <message>
        <source>Accuracy per day</source>
        <extracomment>Days shown at most (the latest ones): more bars than this get too thin to read. The mastered-signs line: a blue that reads on light and dark backgrounds.</extracomment>
        <translation>الدقة في كل يوم</translation>
    </message>
    <message>
        <source>Signs mastered</source>
        <translation>الإشارات المتقَنة</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>من %1 إلى %2</translation>
    </message>
    <message>
        <source>no days</source>
        <translation>لا أيام</translation>
    </message>
    <message>
        <source>Practice chart, %1 days, %2</source>
        <translation>مخطط التدريب، %1 يوم، %2</translation>
    </message>
    <message>
        <source>Bars: share of the day&apos;s attempts recognized (attempts over each bar) · Line: signs mastered at the end of the day</source>
        <translation>الأعمدة: نسبة محاولات اليوم التي تُعرِّف عليها (عدد المحاولات فوق كل عمود) · الخط: الإشارات المتقَنة في نهاية اليوم</translation>
    </message>
    <message>
        <source>Bars: share of the day&apos;s attempts recognized · Line: signs mastered at the end of the day</source>
        <translation>الأعمدة: نسبة محاولات اليوم التي تُعرِّف عليها · الخط: الإشارات المتقَنة في نهاية اليوم</translation>
    </message>
    <message>
        <source>No practice yet.

Pick a sign in Practice and sign it to the camera: every attempt is kept here, day by day, with your accuracy and the signs you have mastered.</source>
        <translation>لا يوجد تدريب بعد.

اختر إشارة في التدريب وأدِّها أمام الكاميرا: تُحفظ كل محاولة هنا يومًا بيوم، مع دقتك والإشارات التي أتقنتها.</translation>
    </message>
    <message>
        <source>Reading your practice history…</source>
        <translation>جارٍ قراءة سجل تدريبك…</translation>
    </message>
    <message>
        <source>Your practice history cannot be read: %1</source>
        <translation>تتعذّر قراءة سجل تدريبك: %1</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>المحاولات</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>الدقة</translation>
    </message>
    <message>
        <source>Last practised</source>
        <translation>آخر تدريب</translation>
    </message>
    <message>
        <source>Streak</source>
        <translation>التتابع</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>موعد المراجعة</translation>
    </message>
    <message>
        <source>Mastered</source>
        <translation>متقَنة</translation>
    </message>
    <message>
        <source>When</source>
        <translation>الوقت</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>النتيجة</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>الثقة</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>الملاحظات</translation>
    </message>
    <message>
        <source>now</source>
        <extracomment>Role holding a cell&apos;s sort key (numbers sort as numbers, dates as dates).</extracomment>
        <translation>الآن</translation>
    </message>
    <message>
        <source>today %1</source>
        <translation>اليوم %1</translation>
    </message>
    <message>
        <source>tomorrow</source>
        <translation>غدًا</translation>
    </message>
    <message>
        <source>%1 attempts on 1 day</source>
        <translation>%1 محاولة في يوم واحد</translation>
    </message>
    <message>
        <source>%1 attempts on %2 days</source>
        <translation>%1 محاولة في %2 يوم</translation>
    </message>
    <message>
        <source>1 sign mastered</source>
        <translation>إشارة واحدة متقَنة</translation>
    </message>
    <message>
        <source>%1 signs mastered</source>
        <translation>الإشارات المتقَنة: %1</translation>
    </message>
    <message>
        <source>%1 recognized</source>
        <translation>نسبة التعرّف %1</translation>
    </message>
    <message>
        <source>%1 due for review</source>
        <translation>المستحقة للمراجعة: %1</translation>
    </message>
    <message>
        <source>Practice progress</source>
        <translation>تقدّم التدريب</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>تصدير CSV…</translation>
    </message>
    <message>
        <source>Save every attempt as a CSV file, for a spreadsheet or a teacher</source>
        <translation>احفظ كل المحاولات في ملف CSV، لجدول بيانات أو لمعلّم</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <source>Your practice</source>
        <translation>تدريبك</translation>
    </message>
    <message>
        <source>%1, sign id %2</source>
        <translation>%1، رقم الإشارة %2</translation>
    </message>
    <message>
        <source>Attempts at %1 (newest first)</source>
        <translation>محاولات «%1» (الأحدث أولًا)</translation>
    </message>
    <message>
        <source>✓ Recognized</source>
        <translation>✓ تُعُرِّف عليها</translation>
    </message>
    <message>
        <source>✗ Taken for %1</source>
        <translation>✗ فُهمت على أنها %1</translation>
    </message>
    <message>
        <source>another sign</source>
        <translation>إشارة أخرى</translation>
    </message>
    <message>
        <source>Export practice history</source>
        <translation>تصدير سجل التدريب</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>ملفات CSV (*.csv);;كل الملفات (*)</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>جارٍ حفظ %1…</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>تعذّر حفظ %1: %2</translation>
    </message>
    <message>
        <source>Saved %1 attempts to %2</source>
        <translation>حُفظت %1 محاولة في %2</translation>
    </message>
    <message>
        <source>Recognition is off</source>
        <translation>التعرّف متوقف</translation>
    </message>
    <message>
        <source>No sign model loaded</source>
        <translation>لم يُحمَّل نموذج إشارات</translation>
    </message>
    <message>
        <source>signdesk found no installed sign model, so it cannot recognize signs yet. The picture and landmarks still work.</source>
        <translation>لم يجد signdesk أي نموذج إشارات مثبّت، لذا لا يستطيع التعرّف على الإشارات بعد. الصورة ونقاط الجسم ما زالت تعمل.</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>فتح نموذج…</translation>
    </message>
    <message>
        <source>no confidence yet</source>
        <extracomment>Candidates shown under the main result.</extracomment>
        <translation>لا توجد ثقة بعد</translation>
    </message>
    <message>
        <source>confidence %1</source>
        <translation>الثقة %1</translation>
    </message>
    <message>
        <source>%1 — sign id %2</source>
        <translation>%1 — رقم الإشارة %2</translation>
    </message>
    <message>
        <source>recognized sign</source>
        <translation>الإشارة المتعرَّف عليها</translation>
    </message>
    <message>
        <source>Other candidates</source>
        <translation>احتمالات أخرى</translation>
    </message>
    <message>
        <source>Confidence needed</source>
        <translation>الثقة المطلوبة</translation>
    </message>
    <message>
        <source>confidence threshold</source>
        <translation>عتبة الثقة</translation>
    </message>
    <message>
        <source>Predictions below this confidence are shown as &quot;Not sure&quot; (Ctrl+Up / Ctrl+Down)</source>
        <translation>التوقعات التي تقل ثقتها عن هذه العتبة تظهر بعبارة «غير متأكد» (Ctrl+Up / Ctrl+Down)</translation>
    </message>
    <message>
        <source>Recent signs</source>
        <translation>الإشارات الأخيرة</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>Clear the list of recent signs (Ctrl+Delete)</source>
        <translation>امسح قائمة الإشارات الأخيرة (Ctrl+Delete)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>الوقت</translation>
    </message>
    <message>
        <source>Waiting for a sign</source>
        <translation>في انتظار إشارة</translation>
    </message>
    <message>
        <source>Recognized sign</source>
        <translation>الإشارة المتعرَّف عليها</translation>
    </message>
    <message>
        <source>Signing… best guess so far</source>
        <translation>جارٍ أداء الإشارة… أفضل تخمين حتى الآن</translation>
    </message>
    <message>
        <source>Below your %1 threshold</source>
        <translation>أقل من عتبتك %1</translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation>غير متأكد</translation>
    </message>
    <message>
        <source>Try the sign again, a little slower</source>
        <translation>أعد الإشارة بتمهّل أكثر قليلًا</translation>
    </message>
    <message>
        <source>Closest signs</source>
        <translation>أقرب الإشارات</translation>
    </message>
    <message>
        <source>%1 failed (%2)</source>
        <extracomment>Qt&apos;s test engine makes no sound: never picked on its own, only when asked for by name (tests).</extracomment>
        <translation>تعطّل %1 (%2)</translation>
    </message>
    <message>
        <source>no details</source>
        <translation>بلا تفاصيل</translation>
    </message>
    <message>
        <source>Voice is unavailable: Qt text-to-speech could not load (%1)</source>
        <translation>الصوت غير متاح: تعذّر تحميل تحويل النص إلى كلام في Qt ‏(%1)</translation>
    </message>
    <message>
        <source>Voice is unavailable: no text-to-speech engine is installed (on Linux install speech-dispatcher)</source>
        <translation>الصوت غير متاح: لا يوجد محرك لتحويل النص إلى كلام (على لينكس ثبّت speech-dispatcher)</translation>
    </message>
    <message>
        <source>Voice is unavailable: %1</source>
        <translation>الصوت غير متاح: %1</translation>
    </message>
    <message>
        <source>Time from capturing a frame to its analysis being ready (median)</source>
        <translation>الوقت من التقاط الإطار حتى جاهزية تحليله (الوسيط)</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>الكاميرا</translation>
    </message>
    <message>
        <source>Frames per second delivered by the camera or video file</source>
        <translation>عدد الإطارات في الثانية التي تقدّمها الكاميرا أو ملف الفيديو</translation>
    </message>
    <message>
        <source>Frames per second analysed (MediaPipe + model); the rest are skipped</source>
        <translation>عدد الإطارات المحلَّلة في الثانية (MediaPipe والنموذج)؛ ويُتخطّى الباقي</translation>
    </message>
    <message>
        <source>Processing %1</source>
        <translation>المعالجة %1</translation>
    </message>
    <message>
        <source>Latency %1</source>
        <translation>التأخير %1</translation>
    </message>
    <message>
        <source>Per stage (median): %1</source>
        <translation>لكل مرحلة (الوسيط): %1</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>الفيديو</translation>
    </message>
    <message>
        <source>Camera: %1 (%2%3 fps)</source>
        <translation>الكاميرا: %1 ‏(%2%3 إطار/ث)</translation>
    </message>
    <message>
        <source>Video: %1 (%2%3 fps%4)</source>
        <translation>الفيديو: %1 ‏(%2%3 إطار/ث%4)</translation>
    </message>
    <message>
        <source>Model: %1 (%2 signs)</source>
        <translation>النموذج: %1 ‏(%2 إشارة)</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>لا يوجد نموذج</translation>
    </message>
    <message>
        <source>Take %1</source>
        <extracomment>What &quot;Import video files…&quot; offers: videos, and landmarks saved by ``signdesk extract``.</extracomment>
        <translation>اللقطة %1</translation>
    </message>
    <message>
        <source>camera</source>
        <translation>الكاميرا</translation>
    </message>
    <message>
        <source>%1 s · %2 frames · %3</source>
        <translation>%1 ث · %2 إطار · %3</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>إبقاء</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>تجاهل</translation>
    </message>
    <message>
        <source>● &amp;Record</source>
        <translation>● ت&amp;سجيل</translation>
    </message>
    <message>
        <source>&amp;Import video files…</source>
        <translation>ا&amp;ستيراد ملفات فيديو…</translation>
    </message>
    <message>
        <source>As recorded</source>
        <translation>كما سُجّلت</translation>
    </message>
    <message>
        <source>%1× speed</source>
        <translation>السرعة %1×</translation>
    </message>
    <message>
        <source>Replay:</source>
        <translation>الإعادة:</translation>
    </message>
    <message>
        <source>Recording…</source>
        <translation>جارٍ التسجيل…</translation>
    </message>
    <message>
        <source>Import video files of the sign</source>
        <translation>استيراد ملفات فيديو للإشارة</translation>
    </message>
    <message>
        <source>Videos and landmarks (%1);;All files (*)</source>
        <translation>ملفات الفيديو ونقاط الجسم (%1);;كل الملفات (*)</translation>
    </message>
    <message>
        <source>Only 1 more take fits;</source>
        <translation>يتسع المكان للقطة واحدة إضافية فقط؛</translation>
    </message>
    <message>
        <source>Only %1 more takes fit;</source>
        <translation>يتسع المكان لـ %1 لقطات إضافية فقط؛</translation>
    </message>
    <message>
        <source>%1 file(s) were not imported.</source>
        <translation>لم يُستورد من الملفات: %1.</translation>
    </message>
    <message>
        <source>The sign could not be saved</source>
        <translation>تعذّر حفظ الإشارة</translation>
    </message>
    <message>
        <source>Your takes are still here: free some space or fix the problem, then press Save again.</source>
        <translation>لقطاتك ما زالت هنا: وفّر بعض المساحة أو أصلح المشكلة، ثم اضغط «حفظ» مرة أخرى.</translation>
    </message>
    <message>
        <source>● Signing</source>
        <extracomment>How long new landmarks wait for the next picture before they are painted on their own (ms). Pose points below this MediaPipe visibility are not drawn (they are guesses off-frame).</extracomment>
        <translation>● جارٍ أداء الإشارة</translation>
    </message>
    <message>
        <source>Hands: %1 used, as in the reference.</source>
        <extracomment>Message id → (source text, the parameters that fill %1, %2…).</extracomment>
        <translation>اليدان: %1، كما في النموذج المرجعي.</translation>
    </message>
    <message>
        <source>No hand was seen signing: raise your hands into view of the camera.</source>
        <translation>لم تُرَ أي يد تؤدي الإشارة: ارفع يديك إلى مجال رؤية الكاميرا.</translation>
    </message>
    <message>
        <source>Use both hands: the sign is made with two hands, you used one.</source>
        <translation>استخدم كلتا يديك: تُؤدّى هذه الإشارة باليدين، وأنت استخدمت يدًا واحدة.</translation>
    </message>
    <message>
        <source>Use one hand: the sign is made with your %1 hand only, you used two.</source>
        <translation>استخدم يدًا واحدة: تُؤدّى هذه الإشارة بيدك %1 وحدها، وأنت استخدمت اليدين.</translation>
    </message>
    <message>
        <source>Use your %1 hand: the reference signs with it, you used your %2.</source>
        <translation>استخدم يدك %1: بها تُؤدّى الإشارة في النموذج المرجعي، وأنت استخدمت يدك %2.</translation>
    </message>
    <message>
        <source>Your %1 hand stayed in view.</source>
        <translation>بقيت يدك %1 في مجال الرؤية.</translation>
    </message>
    <message>
        <source>Your %1 hand was out of view for %2 of the sign.</source>
        <translation>خرجت يدك %1 من مجال الرؤية خلال %2 من الإشارة.</translation>
    </message>
    <message>
        <source>Your %1 hand was in the right place.</source>
        <translation>كانت يدك %1 في الموضع الصحيح.</translation>
    </message>
    <message>
        <source>Your %1 hand was lower than the reference: bring it up to %2.</source>
        <translation>كانت يدك %1 أخفض مما في النموذج المرجعي: ارفعها إلى %2.</translation>
    </message>
    <message>
        <source>Your %1 hand was higher than the reference: bring it down to %2.</source>
        <translation>كانت يدك %1 أعلى مما في النموذج المرجعي: أنزلها إلى %2.</translation>
    </message>
    <message>
        <source>Your %1 hand was too far to your %2: move it toward your %3, %4.</source>
        <translation>كانت يدك %1 بعيدة أكثر من اللازم نحو %2: حرّكها نحو %3، %4.</translation>
    </message>
    <message>
        <source>Your %1 hand moved about as much as in the reference.</source>
        <translation>تحرّكت يدك %1 بقدر ما تتحرّك في النموذج المرجعي تقريبًا.</translation>
    </message>
    <message>
        <source>Move more: your %1 hand travelled %2 as in the reference.</source>
        <translation>تحرّك أكثر: قطعت يدك %1 %2 التي تقطعها في النموذج المرجعي.</translation>
    </message>
    <message>
        <source>Move less: your %1 hand travelled %2 as in the reference.</source>
        <translation>تحرّك أقل: قطعت يدك %1 %2 التي تقطعها في النموذج المرجعي.</translation>
    </message>
    <message>
        <source>Your %1 hand moved the right way.</source>
        <translation>تحرّكت يدك %1 في الاتجاه الصحيح.</translation>
    </message>
    <message>
        <source>Move your %1 hand %2: in the reference it ends %2 from where it starts; yours moved %3.</source>
        <translation>حرّك يدك %1 %2: في النموذج المرجعي تنتهي الحركة %2 من نقطة بدايتها، أما يدك فتحرّكت %3.</translation>
    </message>
    <message>
        <source>Handshape of the %1 hand matches the reference.</source>
        <translation>شكل اليد %1 يطابق النموذج المرجعي.</translation>
    </message>
    <message>
        <source>Handshape of the %1 hand differs from the reference (%2).</source>
        <translation>شكل اليد %1 يختلف عن النموذج المرجعي (%2).</translation>
    </message>
    <message>
        <source>Timing: %1 s, the reference %2 s.</source>
        <translation>المدة: %1 ث، وفي النموذج المرجعي %2 ث.</translation>
    </message>
    <message>
        <source>Too short: the sign took %1 s, the reference %2 s.</source>
        <translation>قصيرة جدًا: استغرقت الإشارة %1 ث، وفي النموذج المرجعي %2 ث.</translation>
    </message>
    <message>
        <source>Too long: the sign took %1 s, the reference %2 s.</source>
        <translation>طويلة جدًا: استغرقت الإشارة %1 ث، وفي النموذج المرجعي %2 ث.</translation>
    </message>
    <message>
        <source>Place, movement and handshape were not compared: your shoulders were not seen. Sit so that your upper body is in view.</source>
        <translation>لم تُقارَن المواضع والحركة وشكل اليد: لم يُرَ كتفاك. اجلس بحيث يظهر الجزء العلوي من جسمك.</translation>
    </message>
    <message>
        <source>Place, movement and handshape were not compared: the reference&apos;s shoulders were not seen. Sit so that your upper body is in view.</source>
        <translation>لم تُقارَن المواضع والحركة وشكل اليد: لم يُرَ الكتفان في النموذج المرجعي. اجلس بحيث يظهر الجزء العلوي من جسمك.</translation>
    </message>
    <message>
        <source>No reference is available for this sign yet, so only whether it was recognized is shown; record a reference take to get feedback on hands, place and movement.</source>
        <translation>لا يوجد نموذج مرجعي لهذه الإشارة بعد، لذا يظهر فقط هل تُعُرِّف عليها أم لا؛ سجّل لقطة مرجعية لتحصل على ملاحظات عن اليدين والموضع والحركة.</translation>
    </message>
    <message>
        <source>Close to the reference: hands, place, movement, handshape and timing all match.</source>
        <translation>قريبة من النموذج المرجعي: اليدان والموضع والحركة وشكل اليد والمدة كلها متطابقة.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>، </translation>
    </message>
    <message>
        <source>your own signs cannot be recognized with this model (%1)</source>
        <extracomment>How often the camera list is re-read while no camera is found (seconds). A playing camera that gives no picture for this long is reported and reopened (seconds): a driver stuck inside read() would otherwise freeze the picture with no word to the user. ONNX Runtime threads for the model. One is enough for a window every few frames, and it leaves the other cores to MediaPipe, capture and painting instead of spinning on them. Where take embeddings are cached, inside the store&apos;s folder (a dot folder: never read as a sign). A captured frame for painting (FramePacket: ``preview`` QImage, ``time``, ``captured``). One analysed frame (Processed: ``frame`` with raw landmarks, detection, signing; latency). A provisional prediction on the sliding window while someone signs (Prediction). The hands went down: the attempt scored at once, to be shown without waiting for the end rule (AttemptResult). ``attempt_result`` confirms it; if a hand comes back it is replaced. A finished sign attempt (AttemptResult: the attempt&apos;s frames, its top-k, its embedding). The source&apos;s state changed: (SourceState, detail text). A source opened and plays (SourceInfo). The camera list was read again (list of CameraInfo). The end of a video file has been analysed (every attempt in it was reported). The model in use changed (Recognizer or None) with the reason when it is None. MediaPipe started: frames are being analysed. MediaPipe could not start (recognition is off for this run). The model failed while recognizing; it was dropped. One frame could not be analysed (the next one is tried). The custom signs were read again and (with a model) enrolled: list of CustomSign. From now on the model recognizes exactly these; ``custom_problems`` lists entries that were skipped. Custom signs cannot be recognized with the current model, or enrolling failed (why). ``recognizer`` with the custom signs: what the processing worker runs (None: no model, or custom signs are off with it, ``custom_problem`` says why)</extracomment>
        <translation>لا يمكن التعرّف على إشاراتك الخاصة بهذا النموذج (%1)</translation>
    </message>
    <message>
        <source>your own signs could not be prepared for recognition (%1)</source>
        <translation>تعذّر تجهيز إشاراتك الخاصة للتعرّف (%1)</translation>
    </message>
    <message>
        <source>Camera %1</source>
        <extracomment>Camera resolutions offered in the window (width, height).</extracomment>
        <translation>الكاميرا %1</translation>
    </message>
    <message>
        <source>%1 stopped sending pictures (none for %2 s); reconnecting</source>
        <translation>توقفت %1 عن إرسال الصور (لا شيء منذ %2 ث)؛ جارٍ إعادة الاتصال</translation>
    </message>
    <message>
        <source>camera %1 could not be opened (%2)</source>
        <extracomment>English sentences of capture.py&apos;s errors, as translation sources.</extracomment>
        <translation>تعذّر فتح الكاميرا %1 (%2)</translation>
    </message>
    <message>
        <source>not connected, in use by another program, or camera permission denied</source>
        <translation>غير موصولة، أو يستخدمها برنامج آخر، أو رُفض إذن الوصول إلى الكاميرا</translation>
    </message>
    <message>
        <source>not connected: %1 does not exist</source>
        <translation>غير موصولة: %1 غير موجود</translation>
    </message>
    <message>
        <source>permission denied: this user may not open %1 (on Linux, join the &apos;video&apos; group)</source>
        <translation>رُفض الإذن: لا يحق لهذا المستخدم فتح %1 (في لينكس، انضم إلى مجموعة &apos;video&apos;)</translation>
    </message>
    <message>
        <source>in use by another program, or it cannot capture</source>
        <translation>يستخدمها برنامج آخر، أو لا يمكنها الالتقاط</translation>
    </message>
    <message>
        <source>%1 stopped sending frames (unplugged or taken by another program)</source>
        <translation>توقفت %1 عن إرسال الإطارات (فُصلت أو استحوذ عليها برنامج آخر)</translation>
    </message>
    <message>
        <source>%1 is closed</source>
        <translation>%1 مغلقة</translation>
    </message>
    <message>
        <source>%1: no such file</source>
        <translation>%1: لا يوجد ملف بهذا الاسم</translation>
    </message>
    <message>
        <source>%1: is a folder, not a video file</source>
        <translation>%1: هذا مجلد وليس ملف فيديو</translation>
    </message>
    <message>
        <source>%1: cannot read (%2)</source>
        <translation>%1: تتعذّر القراءة (%2)</translation>
    </message>
    <message>
        <source>%1: not a readable video (unknown format or damaged file)</source>
        <translation>%1: فيديو لا يمكن قراءته (صيغة غير معروفة أو ملف تالف)</translation>
    </message>
    <message>
        <source>%1: the video has no readable frames</source>
        <translation>%1: لا يحتوي الفيديو على إطارات يمكن قراءتها</translation>
    </message>
    <message>
        <source>%1: the video breaks off after frame %2 of %3 (damaged or incomplete file)</source>
        <translation>%1: ينقطع الفيديو بعد الإطار %2 من %3 (ملف تالف أو غير مكتمل)</translation>
    </message>
    <message>
        <source>Raise your hands to sign</source>
        <extracomment>The hint under the picture and in the result panel while nobody is signing.</extracomment>
        <translation>ارفع يديك لأداء الإشارة</translation>
    </message>
    <message>
        <source>Starting the hand tracker…</source>
        <translation>جارٍ تشغيل متتبّع اليدين…</translation>
    </message>
    <message>
        <source>Video ended — R to replay</source>
        <translation>انتهى الفيديو — R لإعادة التشغيل</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>متوقف مؤقتًا</translation>
    </message>
    <message>
        <source>No picture yet</source>
        <translation>لا توجد صورة بعد</translation>
    </message>
    <message>
        <source>No sign found in this video</source>
        <translation>لم يُعثر على أي إشارة في هذا الفيديو</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>لم يُعثر على كاميرا</translation>
    </message>
    <message>
        <source>No one in view — step in front of the camera</source>
        <translation>لا أحد في مجال الرؤية — قف أمام الكاميرا</translation>
    </message>
    <message>
        <source>No one in view</source>
        <translation>لا أحد في مجال الرؤية</translation>
    </message>
    <message>
        <source>Connect a webcam — signdesk looks for one every few seconds — or open a video file to practise with a recording.</source>
        <extracomment>English titles and explanations (``%1`` the source&apos;s own detail, ``%2`` the video formats).</extracomment>
        <translation>وصّل كاميرا ويب — يبحث signdesk عن كاميرا كل بضع ثوانٍ — أو افتح ملف فيديو للتدرّب على تسجيل.</translation>
    </message>
    <message>
        <source>The camera could not be opened</source>
        <translation>تعذّر فتح الكاميرا</translation>
    </message>
    <message>
        <source>Numbers</source>
        <extracomment>The bundled signs&apos; categories (signdesk.practice.categories), marked for translation. A pack&apos;s own categories are shown as its teacher wrote them.</extracomment>
        <translation>الأرقام</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>الحروف</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>الصحة</translation>
    </message>
    <message>
        <source>Greetings</source>
        <translation>التحيات</translation>
    </message>
    <message>
        <source>Courtesy</source>
        <translation>عبارات المجاملة</translation>
    </message>
    <message>
        <source>Everyday</source>
        <translation>الحياة اليومية</translation>
    </message>
    <message>
        <source>Introductions</source>
        <translation>التعارف</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>العائلة</translation>
    </message>
    <message>
        <source>%1

It may be in use by another program, or camera access may be turned off in your system&apos;s privacy settings. signdesk keeps trying every few seconds.</source>
        <translation>%1

ربما يستخدمها برنامج آخر، أو ربما أُوقف الوصول إلى الكاميرا في إعدادات الخصوصية في نظامك. يواصل signdesk المحاولة كل بضع ثوانٍ.</translation>
    </message>
    <message>
        <source>The camera was disconnected</source>
        <translation>انفصلت الكاميرا</translation>
    </message>
    <message>
        <source>%1

signdesk reconnects as soon as it is back. You can also pick another camera or open a video file.</source>
        <translation>%1

يعيد signdesk الاتصال بها فور عودتها. ويمكنك أيضًا اختيار كاميرا أخرى أو فتح ملف فيديو.</translation>
    </message>
    <message>
        <source>This video cannot be played</source>
        <translation>لا يمكن تشغيل هذا الفيديو</translation>
    </message>
    <message>
        <source>%1

signdesk plays the usual video formats (%2, …).</source>
        <translation>%1

يشغّل signdesk صيغ الفيديو المعتادة (%2، …).</translation>
    </message>
    <message>
        <source>No camera is running. Connect one, or pick one in the main window&apos;s Source menu, or import video files of the sign.</source>
        <extracomment>Takes a sign should have (fewer can be saved after a warning; the store holds at most 10).</extracomment>
        <translation>لا تعمل أي كاميرا. وصّل كاميرا، أو اختر واحدة من قائمة «المصدر» في النافذة الرئيسية، أو استورد ملفات فيديو للإشارة.</translation>
    </message>
    <message>
        <source>Press Record, wait for the countdown, then sign once and lower your hands.</source>
        <translation>اضغط «تسجيل»، وانتظر العدّ التنازلي، ثم أدِّ الإشارة مرة واحدة وأنزل يديك.</translation>
    </message>
    <message>
        <source>Get ready…</source>
        <translation>استعد…</translation>
    </message>
    <message>
        <source>Sign now — lower your hands when the sign is done.</source>
        <translation>أدِّ الإشارة الآن — وأنزل يديك عند انتهائها.</translation>
    </message>
    <message>
        <source>No sign seen — raise your hands into view, then press Record again.</source>
        <translation>لم تُرَ أي إشارة — ارفع يديك إلى مجال الرؤية، ثم اضغط «تسجيل» مرة أخرى.</translation>
    </message>
    <message>
        <source>%1 takes is the most a sign can hold: discard one to record another.</source>
        <translation>الحد الأقصى للإشارة الواحدة %1 لقطات: تجاهل لقطة لتسجيل أخرى.</translation>
    </message>
    <message>
        <source>Finding the sign in the video files…</source>
        <translation>جارٍ البحث عن الإشارة في ملفات الفيديو…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>جارٍ الحفظ…</translation>
    </message>
    <message>
        <source>New — keep it?</source>
        <translation>جديدة — أتُبقي عليها؟</translation>
    </message>
    <message>
        <source>✓ Kept</source>
        <translation>✓ مُبقاة</translation>
    </message>
    <message>
        <source>The sign&apos;s name, in any language or script</source>
        <translation>اسم الإشارة، بأي لغة أو أي كتابة</translation>
    </message>
    <message>
        <source>Optional: a gloss or translation, e.g. HELLO</source>
        <translation>اختياري: المعنى أو الترجمة، مثل HELLO</translation>
    </message>
    <message>
        <source>Type the sign&apos;s name to save it.</source>
        <translation>اكتب اسم الإشارة لحفظها.</translation>
    </message>
    <message>
        <source>That sign had no landmarks to keep; please sign it again.</source>
        <translation>لم تكن في تلك الإشارة نقاط جسم يمكن حفظها؛ يُرجى أداؤها مرة أخرى.</translation>
    </message>
    <message>
        <source>Record %1 again</source>
        <translation>إعادة تسجيل %1</translation>
    </message>
    <message>
        <source>Take %1 added — keep it or discard it.</source>
        <translation>أُضيفت اللقطة %1 — أبقِ عليها أو تجاهلها.</translation>
    </message>
    <message>
        <source>%1 kept, %2 to review</source>
        <translation>المُبقاة: %1، وللمراجعة: %2</translation>
    </message>
    <message>
        <source>%1 kept</source>
        <translation>المُبقاة: %1</translation>
    </message>
    <message>
        <source> — record %1 more (%2–%3 takes make a reliable sign)</source>
        <translation> — سجّل %1 أخرى (من %2 إلى %3 لقطات تكفي لإشارة موثوقة)</translation>
    </message>
    <message>
        <source>You already have a sign called “%1”. Choose another name, or re-record that sign from My signs.</source>
        <translation>لديك بالفعل إشارة باسم «%1». اختر اسمًا آخر، أو أعد تسجيل تلك الإشارة من «إشاراتي».</translation>
    </message>
    <message>
        <source>“%1” is a sign the model already knows (%2). Your takes are saved as your own version of it: signing it your way counts as that sign.</source>
        <translation>«%1» إشارة يعرفها النموذج بالفعل (%2). تُحفظ لقطاتك نسخةً خاصة بك منها: أداؤها بطريقتك يُحتسب تلك الإشارة.</translation>
    </message>
    <message>
        <source>Save with only one take?</source>
        <translation>أتحفظ بلقطة واحدة فقط؟</translation>
    </message>
    <message>
        <source>signdesk learns a sign from the differences between its takes. With one take it recognizes the sign less reliably; %1 or more, each signed a little differently, work best. You can add takes later with Re-record.</source>
        <translation>يتعلّم signdesk الإشارة من الفروق بين لقطاتها. وبلقطة واحدة يكون تعرّفه على الإشارة أقل موثوقية؛ وأفضل النتائج مع %1 لقطات أو أكثر، تُؤدّى كل منها بشكل مختلف قليلًا. يمكنك إضافة لقطات لاحقًا بإعادة التسجيل.</translation>
    </message>
    <message>
        <source>Save with only %1 takes?</source>
        <translation>أتحفظ بـ %1 لقطات فقط؟</translation>
    </message>
    <message>
        <source>signdesk learns a sign from the differences between its takes. With %1 takes it recognizes the sign less reliably; %2 or more, each signed a little differently, work best. You can add takes later with Re-record.</source>
        <translation>يتعلّم signdesk الإشارة من الفروق بين لقطاتها. وبـ %1 لقطات يكون تعرّفه على الإشارة أقل موثوقية؛ وأفضل النتائج مع %2 لقطات أو أكثر، تُؤدّى كل منها بشكل مختلف قليلًا. يمكنك إضافة لقطات لاحقًا بإعادة التسجيل.</translation>
    </message>
    <message>
        <source>You recorded 1 take of “%1” that are not saved. Discard them?</source>
        <translation>سجّلت لقطة واحدة لـ «%1» لم تُحفظ. أتتجاهلها؟</translation>
    </message>
    <message>
        <source>You recorded %1 takes of “%2” that are not saved. Discard them?</source>
        <translation>سجّلت لقطات لـ «%2» لم تُحفظ (%1). أتتجاهلها؟</translation>
    </message>
    <message>
        <source>You recorded 1 take that are not saved. Discard them?</source>
        <translation>سجّلت لقطة واحدة لم تُحفظ. أتتجاهلها؟</translation>
    </message>
    <message>
        <source>You recorded %1 takes that are not saved. Discard them?</source>
        <translation>سجّلت لقطات لم تُحفظ (%1). أتتجاهلها؟</translation>
    </message>
    <message>
        <source>Discard the takes?</source>
        <translation>أتتجاهل اللقطات؟</translation>
    </message>
    <message>
        <source>Saved “%1” (%2 takes). signdesk recognizes it from now on.</source>
        <translation>حُفظت «%1» (اللقطات: %2). سيتعرّف عليها signdesk من الآن فصاعدًا.</translation>
    </message>
    <message>
        <source>1 sign could not be read and is not listed. Its files are left on disk untouched:</source>
        <translation>تعذّرت قراءة إشارة واحدة فلم تُدرج في القائمة. تُركت ملفاتها على القرص كما هي:</translation>
    </message>
    <message>
        <source>%1 signs could not be read and are not listed. Their files are left on disk untouched:</source>
        <translation>تعذّرت قراءة إشارات فلم تُدرج في القائمة (%1). تُركت ملفاتها على القرص كما هي:</translation>
    </message>
    <message>
        <source>Delete “%1”?</source>
        <translation>أتحذف «%1»؟</translation>
    </message>
    <message>
        <source>Its %1 recorded takes are removed from this computer. This cannot be undone.</source>
        <translation>ستُزال لقطاتها المسجّلة (%1) من هذا الحاسوب. ولا يمكن التراجع عن ذلك.</translation>
    </message>
    <message>
        <source>Delete %1 signs?</source>
        <translation>أتحذف الإشارات (%1)؟</translation>
    </message>
    <message>
        <source>Their %1 recorded takes are removed from this computer. This cannot be undone.</source>
        <translation>ستُزال لقطاتها المسجّلة (%1) من هذا الحاسوب. ولا يمكن التراجع عن ذلك.</translation>
    </message>
    <message>
        <source>A sign with this name exists</source>
        <translation>توجد إشارة بهذا الاسم</translation>
    </message>
    <message>
        <source>You already have a sign called “%1” (%2 takes). The pack “%3” has its own “%1”.

Keep both: the pack&apos;s sign is added under a new name.
Replace mine: your takes of it are deleted.
Skip: the pack&apos;s sign is not imported.</source>
        <translation>لديك بالفعل إشارة باسم «%1» (اللقطات: %2). وفي الحزمة «%3» إشارة «%1» خاصة بها.

الإبقاء على الاثنتين: تُضاف إشارة الحزمة باسم جديد.
استبدال إشارتي: تُحذف لقطاتك لها.
تخطٍّ: لا تُستورد إشارة الحزمة.</translation>
    </message>
    <message>
        <source>%1 added</source>
        <translation>المُضافة: %1</translation>
    </message>
    <message>
        <source>%1 replaced</source>
        <translation>المُستبدلة: %1</translation>
    </message>
    <message>
        <source>“%1” added as “%2”</source>
        <translation>أُضيفت «%1» باسم «%2»</translation>
    </message>
    <message>
        <source>%1 skipped</source>
        <translation>المُتخطّاة: %1</translation>
    </message>
    <message>
        <source>nothing new</source>
        <translation>لا جديد</translation>
    </message>
    <message>
        <source>Imported “%1”: %2.</source>
        <translation>استُوردت «%1»: %2.</translation>
    </message>
    <message>
        <source>No sign model is loaded, so attempts cannot be scored.</source>
        <translation>لم يُحمَّل أي نموذج إشارات، لذا لا يمكن تقييم المحاولات.</translation>
    </message>
    <message>
        <source>No sign to practise: search, pick a category or press Drill 10.</source>
        <translation>لا توجد إشارة للتدرّب عليها: ابحث، أو اختر فئة، أو اضغط «تمرين 10».</translation>
    </message>
    <message>
        <source>Watch the reference, then sign it to the camera and lower your hands.</source>
        <translation>شاهد النموذج المرجعي، ثم أدِّ الإشارة أمام الكاميرا وأنزل يديك.</translation>
    </message>
    <message>
        <source>No reference for this sign yet: teach it under Signs → Teach a sign to get one.</source>
        <translation>لا يوجد نموذج مرجعي لهذه الإشارة بعد: علّمها من الإشارات ← علّم إشارة لتحصل عليه.</translation>
    </message>
    <message>
        <source>Search signs by name or meaning</source>
        <translation>ابحث عن الإشارات بالاسم أو المعنى</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>كل الفئات</translation>
    </message>
    <message>
        <source>Nothing is due for review now.</source>
        <translation>لا شيء مستحق للمراجعة الآن.</translation>
    </message>
    <message>
        <source>Your attempt</source>
        <translation>محاولتك</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>النموذج المرجعي</translation>
    </message>
    <message>
        <source>Sign %1 when ready: watch the reference, then sign it to the camera and lower your hands.</source>
        <translation>أدِّ إشارة %1 حين تكون مستعدًا: شاهد النموذج المرجعي، ثم أدِّ الإشارة أمام الكاميرا وأنزل يديك.</translation>
    </message>
    <message>
        <source>Target confidence %1, ranked #%2</source>
        <translation>الثقة في الإشارة المطلوبة %1، في المرتبة %2</translation>
    </message>
    <message>
        <source>Target confidence %1, not in the top %2</source>
        <translation>الثقة في الإشارة المطلوبة %1، خارج أول %2</translation>
    </message>
    <message>
        <source>Score %1/%2 · streak %3</source>
        <translation>النتيجة %1/%2 · التتابع %3</translation>
    </message>
    <message>
        <source>Correct: %1 (%2)</source>
        <translation>الصحيحة: %1 (%2)</translation>
    </message>
    <message>
        <source>Correct: %1</source>
        <translation>الصحيحة: %1</translation>
    </message>
    <message>
        <source>Attempts: %1</source>
        <translation>المحاولات: %1</translation>
    </message>
    <message>
        <source>Best streak: %1</source>
        <translation>أطول تتابع: %1</translation>
    </message>
    <message>
        <source>Signs mastered: %1</source>
        <translation>الإشارات المتقَنة: %1</translation>
    </message>
    <message>
        <source>Due for review: %1</source>
        <translation>المستحقة للمراجعة: %1</translation>
    </message>
    <message>
        <source>Your practice history had a problem and was set aside: %1</source>
        <translation>حدثت مشكلة في سجل تدرّبك فنُحّي جانبًا: %1</translation>
    </message>
    <message>
        <source>Practice history cannot be saved: %1</source>
        <translation>يتعذّر حفظ سجل التدرّب: %1</translation>
    </message>
    <message>
        <source>Sign to the camera</source>
        <translation>أدِّ الإشارة أمام الكاميرا</translation>
    </message>
    <message>
        <source>Quiz: press Space to reveal</source>
        <translation>اختبار: اضغط Space للكشف</translation>
    </message>
    <message>
        <source>Frozen (F)</source>
        <translation>مُجمَّد (F)</translation>
    </message>
    <message>
        <source>%1: capture stopped (%2)</source>
        <extracomment>How long a stopping worker may take to notice (seconds); well under the 1 s close budget. time.monotonic() of the last picture the source gave (or of its opening); the session&apos;s watchdog reads it, because a camera stuck inside read() cannot report anything itself</extracomment>
        <translation>%1: توقف الالتقاط (%2)</translation>
    </message>
    <message>
        <source>%1: frame %2 skipped (%3)</source>
        <translation>%1: تُخطّي الإطار %2 (%3)</translation>
    </message>
    <message>
        <source>could not start MediaPipe: %1</source>
        <translation>تعذّر تشغيل MediaPipe: %1</translation>
    </message>
    <message>
        <source>the landmark detector stopped: %1</source>
        <translation>توقف كاشف نقاط الجسم: %1</translation>
    </message>
    <message>
        <source>the end of the video</source>
        <translation>نهاية الفيديو</translation>
    </message>
    <message>
        <source>frame %1</source>
        <translation>الإطار %1</translation>
    </message>
    <message>
        <source>landmarks failed on %1: %2</source>
        <translation>فشل استخراج نقاط الجسم في %1: %2</translation>
    </message>
    <message>
        <source>%1; recognition is off</source>
        <translation>%1؛ التعرّف متوقف</translation>
    </message>
    <message>
        <source>analysis failed on %1: %2: %3</source>
        <translation>فشل التحليل في %1: %2: %3</translation>
    </message>
</context>
<context>
    <name>FeedbackCount</name>
    <message>
        <source>none</source>
        <translation>لم تُستخدم أي يد</translation>
    </message>
    <message>
        <source>one</source>
        <translation>استُخدمت يد واحدة</translation>
    </message>
    <message>
        <source>two</source>
        <translation>استُخدمت اليدان</translation>
    </message>
</context>
<context>
    <name>FeedbackDirection</name>
    <message>
        <source>up</source>
        <translation>إلى الأعلى</translation>
    </message>
    <message>
        <source>down</source>
        <translation>إلى الأسفل</translation>
    </message>
    <message>
        <source>to your right</source>
        <translation>إلى يمينك</translation>
    </message>
    <message>
        <source>to your left</source>
        <translation>إلى يسارك</translation>
    </message>
    <message>
        <source>up and to your right</source>
        <translation>إلى الأعلى وإلى يمينك</translation>
    </message>
    <message>
        <source>up and to your left</source>
        <translation>إلى الأعلى وإلى يسارك</translation>
    </message>
    <message>
        <source>down and to your right</source>
        <translation>إلى الأسفل وإلى يمينك</translation>
    </message>
    <message>
        <source>down and to your left</source>
        <translation>إلى الأسفل وإلى يسارك</translation>
    </message>
    <message>
        <source>hardly at all</source>
        <translation>بالكاد</translation>
    </message>
</context>
<context>
    <name>FeedbackHand</name>
    <message>
        <source>left</source>
        <extracomment>Word parameter → the translation context of its words. Every word the core puts in a parameter, marked for lupdate (their contexts as above).</extracomment>
        <translation>اليسرى</translation>
    </message>
    <message>
        <source>right</source>
        <translation>اليمنى</translation>
    </message>
</context>
<context>
    <name>FeedbackHandshape</name>
    <message>
        <source>fingers more bent</source>
        <translation>الأصابع أكثر انثناءً</translation>
    </message>
    <message>
        <source>fingers straighter</source>
        <translation>الأصابع أكثر استقامة</translation>
    </message>
    <message>
        <source>fingers more spread</source>
        <translation>الأصابع أكثر تباعدًا</translation>
    </message>
    <message>
        <source>fingers closer together</source>
        <translation>الأصابع أكثر تقاربًا</translation>
    </message>
    <message>
        <source>thumb more bent</source>
        <translation>الإبهام أكثر انثناءً</translation>
    </message>
    <message>
        <source>thumb straighter</source>
        <translation>الإبهام أكثر استقامة</translation>
    </message>
    <message>
        <source>index finger more bent</source>
        <translation>السبابة أكثر انثناءً</translation>
    </message>
    <message>
        <source>index finger straighter</source>
        <translation>السبابة أكثر استقامة</translation>
    </message>
    <message>
        <source>middle finger more bent</source>
        <translation>الوسطى أكثر انثناءً</translation>
    </message>
    <message>
        <source>middle finger straighter</source>
        <translation>الوسطى أكثر استقامة</translation>
    </message>
    <message>
        <source>ring finger more bent</source>
        <translation>البنصر أكثر انثناءً</translation>
    </message>
    <message>
        <source>ring finger straighter</source>
        <translation>البنصر أكثر استقامة</translation>
    </message>
    <message>
        <source>little finger more bent</source>
        <translation>الخنصر أكثر انثناءً</translation>
    </message>
    <message>
        <source>little finger straighter</source>
        <translation>الخنصر أكثر استقامة</translation>
    </message>
</context>
<context>
    <name>FeedbackLevel</name>
    <message>
        <source>above the head</source>
        <translation>ما فوق الرأس</translation>
    </message>
    <message>
        <source>forehead height</source>
        <translation>مستوى الجبهة</translation>
    </message>
    <message>
        <source>face height</source>
        <translation>مستوى الوجه</translation>
    </message>
    <message>
        <source>chin height</source>
        <translation>مستوى الذقن</translation>
    </message>
    <message>
        <source>neck height</source>
        <translation>مستوى الرقبة</translation>
    </message>
    <message>
        <source>chest height</source>
        <translation>مستوى الصدر</translation>
    </message>
    <message>
        <source>waist height</source>
        <translation>مستوى الخصر</translation>
    </message>
</context>
<context>
    <name>FeedbackPlace</name>
    <message>
        <source>in front of your right side</source>
        <translation>أمام جانبك الأيمن</translation>
    </message>
    <message>
        <source>in front of your left side</source>
        <translation>أمام جانبك الأيسر</translation>
    </message>
    <message>
        <source>in front of the middle of your body</source>
        <translation>أمام منتصف جسمك</translation>
    </message>
</context>
<context>
    <name>FeedbackSide</name>
    <message>
        <source>left</source>
        <translation>يسارك</translation>
    </message>
    <message>
        <source>right</source>
        <translation>يمينك</translation>
    </message>
</context>
<context>
    <name>FeedbackTimes</name>
    <message>
        <source>about a quarter as far</source>
        <translation>نحو ربع المسافة</translation>
    </message>
    <message>
        <source>about a third as far</source>
        <translation>نحو ثلث المسافة</translation>
    </message>
    <message>
        <source>about half as far</source>
        <translation>نحو نصف المسافة</translation>
    </message>
    <message>
        <source>about two thirds as far</source>
        <translation>نحو ثلثي المسافة</translation>
    </message>
    <message>
        <source>about as far</source>
        <translation>نحو المسافة نفسها</translation>
    </message>
    <message>
        <source>about one and a half times as far</source>
        <translation>نحو مرة ونصف المسافة</translation>
    </message>
    <message>
        <source>about twice as far</source>
        <translation>نحو ضعف المسافة</translation>
    </message>
    <message>
        <source>about three times as far</source>
        <translation>نحو ثلاثة أضعاف المسافة</translation>
    </message>
    <message>
        <source>many times as far</source>
        <translation>أضعاف المسافة</translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <source>Arabic Sign Language</source>
        <extracomment>The camera picture is asked for at this size: enough to see oneself, light to capture. Preview threads that did not stop in time (worker, thread): kept alive until they end. Models whose sign language goes with an Arabic interface.</extracomment>
        <translation>لغة الإشارة العربية</translation>
    </message>
    <message>
        <source>American Sign Language (ASL)</source>
        <translation>لغة الإشارة الأمريكية (ASL)</translation>
    </message>
    <message>
        <source>%1 — %2 signs (%3)</source>
        <translation>%1 — %2 إشارة (%3)</translation>
    </message>
    <message>
        <source>Windows: open Settings → Privacy &amp; security → Camera, and turn on camera access for desktop apps. Close other apps that may be using the camera (Teams, Zoom, the Camera app).</source>
        <translation>ويندوز: افتح الإعدادات&#xa0;←&#xa0;الخصوصية والأمان&#xa0;←&#xa0;الكاميرا، وفعّل وصول تطبيقات سطح المكتب إلى الكاميرا. وأغلق التطبيقات الأخرى التي قد تستخدم الكاميرا (Teams أو Zoom أو تطبيق الكاميرا).</translation>
    </message>
    <message>
        <source>macOS: open System Settings → Privacy &amp; Security → Camera and allow signdesk, then start signdesk again. Close other apps that may be using the camera.</source>
        <translation>macOS: افتح إعدادات النظام&#xa0;←&#xa0;الخصوصية والأمن&#xa0;←&#xa0;الكاميرا واسمح لـ signdesk، ثم أعد تشغيل signdesk. وأغلق التطبيقات الأخرى التي قد تستخدم الكاميرا.</translation>
    </message>
    <message>
        <source>Linux: check that the camera is plugged in and that your user is in the “video” group (sudo usermod -aG video $USER, then log out and in). Close other apps that may be using the camera (a browser, Zoom, Cheese).</source>
        <translation>لينكس: تأكد من توصيل الكاميرا ومن أن مستخدمك ضمن مجموعة «video» (⁦sudo usermod -aG video $USER⁩، ثم سجّل الخروج والدخول). وأغلق التطبيقات الأخرى التي قد تستخدم الكاميرا (المتصفح أو Zoom أو Cheese).</translation>
    </message>
    <message>
        <source>Welcome to signdesk</source>
        <translation>مرحبًا بك في signdesk</translation>
    </message>
    <message>
        <source>signdesk recognizes sign-language words from your camera, entirely on this computer. Choose your languages and check your camera. You can change these later with Help → Welcome and language…</source>
        <translation>يتعرّف signdesk على كلمات لغة الإشارة من الكاميرا، على هذا الحاسوب بالكامل. اختر لغتيك وتحقّق من الكاميرا. يمكنك تغيير ذلك لاحقًا من مساعدة&#xa0;←&#xa0;الترحيب واللغة…</translation>
    </message>
    <message>
        <source>Interface language:</source>
        <translation>لغة الواجهة:</translation>
    </message>
    <message>
        <source>The new interface language is used when signdesk is started again.</source>
        <translation>ستُستخدم لغة الواجهة الجديدة عند تشغيل signdesk من جديد.</translation>
    </message>
    <message>
        <source>Sign language:</source>
        <translation>لغة الإشارة:</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>الكاميرا</translation>
    </message>
    <message>
        <source>Look for cameras again</source>
        <translation>البحث عن الكاميرات مجددًا</translation>
    </message>
    <message>
        <source>Looking for a camera…</source>
        <translation>جارٍ البحث عن كاميرا…</translation>
    </message>
    <message>
        <source>Your camera works: you should see yourself above.</source>
        <translation>الكاميرا تعمل: يُفترض أن ترى نفسك في الأعلى.</translation>
    </message>
    <message>
        <source>No camera was found.</source>
        <translation>لم يُعثر على أي كاميرا.</translation>
    </message>
    <message>
        <source>You can go on without a camera: videos can be opened with File → Open video…</source>
        <translation>يمكنك المتابعة دون كاميرا: افتح ملفات الفيديو من ملف&#xa0;←&#xa0;فتح فيديو…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>حفظ</translation>
    </message>
    <message>
        <source>Continue without a camera</source>
        <translation>المتابعة دون كاميرا</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>ابدأ</translation>
    </message>
</context>
</TS>
