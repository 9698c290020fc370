<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>CallCard</name>
    <message>
        <source>On a call</source>
        <translation>Разговор</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Talk time</source>
        <translation>Время разговора</translation>
    </message>
    <message>
        <source>Queue: {queue}</source>
        <translation>Очередь: {queue}</translation>
    </message>
    <message>
        <source>Talking for {time}</source>
        <translation>Разговор идёт {time}</translation>
    </message>
    <message>
        <source>Talking</source>
        <translation>Разговор</translation>
    </message>
</context>
<context>
    <name>Card</name>
    <message>
        <source>Caller</source>
        <translation>Абонент</translation>
    </message>
    <message>
        <source>Caller&apos;s number</source>
        <translation>Номер абонента</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Your change</source>
        <translation>Ваше изменение</translation>
    </message>
    <message>
        <source>Change in progress</source>
        <translation>Изменение выполняется</translation>
    </message>
</context>
<context>
    <name>Counted</name>
    <message numerus="yes">
        <source>%n queue(s) paused</source>
        <translation>
            <numerusform>%n очередь на паузе</numerusform>
            <numerusform>%n очереди на паузе</numerusform>
            <numerusform>%n очередей на паузе</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n agent(s) free</source>
        <translation>
            <numerusform>%n агент свободен</numerusform>
            <numerusform>%n агента свободны</numerusform>
            <numerusform>%n агентов свободны</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeferralLine</name>
    <message>
        <source>Deferred change</source>
        <translation>Отложенное изменение</translation>
    </message>
    <message>
        <source>Planned: {change}</source>
        <translation>Запланировано: {change}</translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <source>Settings not saved</source>
        <translation>Настройки не сохранены</translation>
    </message>
    <message>
        <source>They apply until the toolbar quits: {reason}</source>
        <translation>Они действуют до закрытия панели: {reason}</translation>
    </message>
    <message>
        <source>Screen pop</source>
        <translation>Открытие CRM</translation>
    </message>
    <message>
        <source>Password not remembered</source>
        <translation>Пароль не сохранён</translation>
    </message>
</context>
<context>
    <name>DialBox</name>
    <message>
        <source>Dial</source>
        <translation>Набор номера</translation>
    </message>
    <message>
        <source>&amp;Number to call:</source>
        <translation>&amp;Номер:</translation>
    </message>
    <message>
        <source>Number to call</source>
        <translation>Номер для звонка</translation>
    </message>
    <message>
        <source>Why this is not a number</source>
        <translation>Почему это не номер</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
</context>
<context>
    <name>Dialer</name>
    <message>
        <source>this server cannot place calls from the toolbar</source>
        <translation>этот сервер не позволяет звонить из панели</translation>
    </message>
    <message>
        <source>the toolbar is not connected to the server</source>
        <translation>панель не подключена к серверу</translation>
    </message>
    <message>
        <source>log in first: calls are followed only while you are logged in</source>
        <translation>сначала войдите в систему: звонки отслеживаются, только пока вы в системе</translation>
    </message>
    <message>
        <source>a call is ringing</source>
        <translation>идёт входящий звонок</translation>
    </message>
    <message>
        <source>you are on a call</source>
        <translation>вы разговариваете</translation>
    </message>
    <message>
        <source>a call is being placed</source>
        <translation>звонок уже набирается</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <source>Call {number} from your phone?</source>
        <translation>Позвонить на {number} с вашего телефона?</translation>
    </message>
    <message>
        <source>&amp;Call</source>
        <translation>&amp;Позвонить</translation>
    </message>
    <message>
        <source>Not called: {reason}</source>
        <translation>Звонок не сделан: {reason}</translation>
    </message>
</context>
<context>
    <name>DoctorDialog</name>
    <message>
        <source>Check connection</source>
        <translation>Проверка подключения</translation>
    </message>
    <message>
        <source>Checking the connection</source>
        <translation>Проверка подключения идёт</translation>
    </message>
    <message>
        <source>What the check is doing</source>
        <translation>Что сейчас делает проверка</translation>
    </message>
    <message>
        <source>What to change</source>
        <translation>Что изменить</translation>
    </message>
    <message>
        <source>What the check did</source>
        <translation>Что сделала проверка</translation>
    </message>
    <message>
        <source>&amp;Copy the report</source>
        <translation>&amp;Копировать отчёт</translation>
    </message>
    <message>
        <source>Fact</source>
        <translation>Факт</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Итог</translation>
    </message>
    <message>
        <source>What the server showed</source>
        <translation>Что показал сервер</translation>
    </message>
    <message>
        <source>What the server showed, fact by fact</source>
        <translation>Что показал сервер, факт за фактом</translation>
    </message>
    <message>
        <source>The check failed unexpectedly ({reason}). Try again; if it keeps failing, send the diagnostics to support.</source>
        <translation>Проверка неожиданно не удалась ({reason}). Попробуйте ещё раз; если не получится, отправьте диагностику в поддержку.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Cancel the check</source>
        <translation>Отменить проверку</translation>
    </message>
    <message>
        <source>Checking the connection…</source>
        <translation>Проверка подключения…</translation>
    </message>
    <message>
        <source>The check stopped: {reason}</source>
        <translation>Проверка остановлена: {reason}</translation>
    </message>
    <message>
        <source>The toolbar assumes: {says} ({standing})</source>
        <translation>Панель предполагает: {says} ({standing})</translation>
    </message>
    <message>
        <source>The check did not finish.</source>
        <translation>Проверка не завершилась.</translation>
    </message>
    <message>
        <source>Facts that differ: {count} of {total}. See what to change below.</source>
        <translation>Расходятся фактов: {count} из {total}. Что изменить — ниже.</translation>
    </message>
    <message>
        <source>Nothing differs from what the toolbar assumes.</source>
        <translation>Всё совпадает с тем, что предполагает панель.</translation>
    </message>
    <message>
        <source>matches</source>
        <translation>совпадает</translation>
    </message>
    <message>
        <source>DIFFERS</source>
        <translation>РАСХОДИТСЯ</translation>
    </message>
    <message>
        <source>not seen</source>
        <translation>не видно</translation>
    </message>
    <message>
        <source>{fact}: the toolbar assumes {says}</source>
        <translation>{fact}: панель предполагает {says}</translation>
    </message>
    <message>
        <source>The server showed: {seen}</source>
        <translation>Сервер показал: {seen}</translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation>Как исправить:</translation>
    </message>
    <message>
        <source>Copied the report to the clipboard.</source>
        <translation>Отчёт скопирован в буфер обмена.</translation>
    </message>
</context>
<context>
    <name>GeneralTab</name>
    <message>
        <source>The system&apos;s language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <source>English</source>
        <comment>the language&apos;s own name</comment>
        <translation>English</translation>
    </message>
    <message>
        <source>Русский</source>
        <comment>the language&apos;s own name</comment>
        <translation>Русский</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Язык:</translation>
    </message>
    <message>
        <source>A new language shows the next time the toolbar starts.</source>
        <translation>Новый язык будет применён при следующем запуске панели.</translation>
    </message>
    <message>
        <source>&amp;Start the toolbar when I log in to the computer</source>
        <translation>&amp;Запускать панель при входе в компьютер</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>Автозапуск при входе</translation>
    </message>
    <message>
        <source>Ask me what to do</source>
        <translation>Спрашивать, что делать</translation>
    </message>
    <message>
        <source>Log out of the queues first</source>
        <translation>Сначала выйти из системы</translation>
    </message>
    <message>
        <source>Go Away first</source>
        <translation>Сначала перейти в «Не готов»</translation>
    </message>
    <message>
        <source>Stay Ready (calls keep coming)</source>
        <translation>Остаться в «Готов» (звонки будут поступать)</translation>
    </message>
    <message>
        <source>&amp;Quitting while Ready:</source>
        <translation>&amp;Выход в статусе «Готов»:</translation>
    </message>
    <message>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <source>Keep call &amp;history for:</source>
        <translation>Хранить &amp;историю звонков:</translation>
    </message>
    <message>
        <source>Older calls are removed when the toolbar starts.</source>
        <translation>Более старые звонки удаляются при запуске панели.</translation>
    </message>
    <message>
        <source>Debug (everything, for support)</source>
        <translation>Отладка (всё, для поддержки)</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Сведения</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Предупреждения</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Только ошибки</translation>
    </message>
    <message>
        <source>Log &amp;detail:</source>
        <translation>Подробность &amp;журнала:</translation>
    </message>
    <message>
        <source>&amp;Open log folder</source>
        <translation>&amp;Открыть папку журнала</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Открыть папку журнала</translation>
    </message>
    <message>
        <source>&amp;Copy diagnostics</source>
        <translation>&amp;Копировать диагностику</translation>
    </message>
    <message>
        <source>Copy diagnostics</source>
        <translation>Копировать диагностику</translation>
    </message>
    <message>
        <source>Versions, connection and recent log lines for support; secrets are left out</source>
        <translation>Версии, подключение и последние строки журнала для поддержки; секреты исключаются</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>Диагностика</translation>
    </message>
    <message>
        <source>The diagnostics could not be collected: {reason}</source>
        <translation>Не удалось собрать диагностику: {reason}</translation>
    </message>
    <message>
        <source>Copied to the clipboard: paste it into your message to support.</source>
        <translation>Скопировано в буфер обмена: вставьте в своё сообщение для поддержки.</translation>
    </message>
</context>
<context>
    <name>GlobalHotkeys</name>
    <message>
        <source>{keys} is already set for another action.</source>
        <translation>{keys} уже используется для другого действия.</translation>
    </message>
    <message>
        <source>System-wide keys are off because the toolbar is closing.</source>
        <translation>Глобальные горячие клавиши отключены: панель закрывается.</translation>
    </message>
    <message>
        <source>System-wide keys are not available on macOS yet; the toolbar&apos;s own shortcuts work while it has the focus.</source>
        <translation>В macOS глобальные горячие клавиши пока недоступны; собственные сочетания клавиш панели работают, когда её окно активно.</translation>
    </message>
    <message>
        <source>Wayland does not let applications take system-wide keys; the toolbar&apos;s own shortcuts work while it has the focus.</source>
        <translation>Wayland не позволяет приложениям занимать глобальные горячие клавиши; собственные сочетания клавиш панели работают, когда её окно активно.</translation>
    </message>
    <message>
        <source>There is no X display to take system-wide keys on.</source>
        <translation>Нет дисплея X, на котором можно занять глобальные горячие клавиши.</translation>
    </message>
    <message>
        <source>“{text}” is not a key combination.</source>
        <translation>«{text}» — не сочетание клавиш.</translation>
    </message>
    <message>
        <source>{keys} is a sequence of keys; a system-wide key must be one combination.</source>
        <translation>{keys} — последовательность нажатий; глобальная горячая клавиша должна быть одним сочетанием.</translation>
    </message>
    <message>
        <source>{keys} has no key besides the modifiers.</source>
        <translation>В {keys} нет клавиши, кроме модификаторов.</translation>
    </message>
    <message>
        <source>{keys} alone would stop that key working in every other program; add Ctrl, Alt or Meta.</source>
        <translation>{keys} без модификаторов перестанет работать во всех остальных программах; добавьте Ctrl, Alt или Meta.</translation>
    </message>
    <message>
        <source>{keys} is not on this keyboard.</source>
        <translation>На этой клавиатуре нет {keys}.</translation>
    </message>
    <message>
        <source>{keys} is already taken by another program.</source>
        <translation>{keys} уже использует другая программа.</translation>
    </message>
    <message>
        <source>Windows refused {keys} (error {code}).</source>
        <translation>Windows не позволила занять {keys} (ошибка {code}).</translation>
    </message>
    <message>
        <source>The X display {name} cannot be reached.</source>
        <translation>Дисплей X {name} недоступен.</translation>
    </message>
    <message>
        <source>{keys} cannot be taken system-wide.</source>
        <translation>{keys} нельзя назначить глобальной горячей клавишей.</translation>
    </message>
    <message>
        <source>The connection to the X display was lost.</source>
        <translation>Связь с дисплеем X потеряна.</translation>
    </message>
    <message>
        <source>The X display closed the connection, so system-wide keys are off.</source>
        <translation>Дисплей X закрыл соединение, поэтому глобальные горячие клавиши отключены.</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Call history</source>
        <translation>История звонков</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>принят</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>пропущен</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>отклонён</translation>
    </message>
    <message>
        <source>caller left while ringing</source>
        <translation>абонент ушёл, пока звонило</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>снят очередью</translation>
    </message>
    <message>
        <source>ringing</source>
        <translation>звонит</translation>
    </message>
    <message>
        <source>Summary of the shown calls</source>
        <translation>Итог по показанным звонкам</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>Абонент</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Исход</translation>
    </message>
    <message>
        <source>Ring</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <source>Talk</source>
        <translation>Разговор</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>Постобработка</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <source>Open in CRM</source>
        <translation>Открыть в CRM</translation>
    </message>
    <message>
        <source>Export to CSV…</source>
        <translation>Экспорт в CSV…</translation>
    </message>
    <message>
        <source>Clear history…</source>
        <translation>Очистить историю…</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Последние 7 дней</translation>
    </message>
    <message>
        <source>All kept</source>
        <translation>Всё сохранённое</translation>
    </message>
    <message>
        <source>Search by number or name</source>
        <translation>Поиск по номеру или имени</translation>
    </message>
    <message>
        <source>Search the calls</source>
        <translation>Поиск звонков</translation>
    </message>
    <message>
        <source>Every outcome</source>
        <translation>Любой исход</translation>
    </message>
    <message>
        <source>Every queue</source>
        <translation>Любая очередь</translation>
    </message>
    <message>
        <source>The call history cannot be read: {reason}</source>
        <translation>Историю звонков не удаётся прочитать: {reason}</translation>
    </message>
    <message>
        <source>{answered} answered · {missed} missed · talk {talk} · average handle {aht}</source>
        <translation>принято {answered} · пропущено {missed} · разговор {talk} · среднее время обслуживания {aht}</translation>
    </message>
    <message>
        <source>Not now: {reason}</source>
        <translation>Сейчас нельзя: {reason}</translation>
    </message>
    <message>
        <source>Export the call history</source>
        <translation>Экспорт истории звонков</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Все файлы (*)</translation>
    </message>
    <message>
        <source>The calls could not be exported: {reason}</source>
        <translation>Звонки не удалось экспортировать: {reason}</translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation>Очистить историю</translation>
    </message>
    <message>
        <source>Remove every call from the history on this computer?</source>
        <translation>Удалить все звонки из истории на этом компьютере?</translation>
    </message>
</context>
<context>
    <name>HotkeysTab</name>
    <message>
        <source>&amp;Use system-wide keys (they work while another program has the focus)</source>
        <translation>&amp;Использовать глобальные горячие клавиши (работают и в других программах)</translation>
    </message>
    <message>
        <source>Use system-wide keys</source>
        <translation>Использовать глобальные горячие клавиши</translation>
    </message>
    <message>
        <source>This desktop does not let the toolbar use system-wide keys: {reason}</source>
        <translation>Эта среда рабочего стола не даёт панели использовать глобальные горячие клавиши: {reason}</translation>
    </message>
    <message>
        <source>Key for {action}</source>
        <translation>Сочетание клавиш: {action}</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Очистить</translation>
    </message>
    <message>
        <source>Clear the key for {action}</source>
        <translation>Очистить сочетание клавиш: {action}</translation>
    </message>
    <message>
        <source>{action}:</source>
        <translation>{action}:</translation>
    </message>
    <message>
        <source>&amp;Reset to defaults</source>
        <translation>&amp;Восстановить по умолчанию</translation>
    </message>
    <message>
        <source>Reset the keys to their defaults</source>
        <translation>Восстановить сочетания клавиш по умолчанию</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Готов</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Не готов</translation>
    </message>
    <message>
        <source>Finish wrap-up</source>
        <translation>Завершить постобработку</translation>
    </message>
    <message>
        <source>Extend wrap-up</source>
        <translation>Продлить постобработку</translation>
    </message>
    <message>
        <source>Show the toolbar</source>
        <translation>Показать панель</translation>
    </message>
    <message>
        <source>{keys} alone would take that key from every program: add Ctrl, Alt or the Windows key.</source>
        <translation>{keys} без модификаторов отнимет эту клавишу у всех программ: добавьте Ctrl, Alt или клавишу Windows.</translation>
    </message>
    <message>
        <source>{keys} is already the key for {other}: choose another key.</source>
        <translation>{keys} уже используется для «{other}»: выберите другое сочетание.</translation>
    </message>
</context>
<context>
    <name>LoggedOutCard</name>
    <message>
        <source>You were logged out</source>
        <translation>Вас вывели из очередей</translation>
    </message>
    <message>
        <source>Who logged you out, and why</source>
        <translation>Кто вывел вас из очередей и почему</translation>
    </message>
    <message>
        <source>By: {who}, at {time}</source>
        <translation>Кто: {who}, в {time}</translation>
    </message>
    <message>
        <source>Why: {why}</source>
        <translation>Почему: {why}</translation>
    </message>
    <message>
        <source>No call can ring until you log in again.</source>
        <translation>Звонки не придут, пока вы снова не войдёте.</translation>
    </message>
</context>
<context>
    <name>MissedCard</name>
    <message>
        <source>Missed call</source>
        <translation>Пропущенный звонок</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Что произошло</translation>
    </message>
</context>
<context>
    <name>NotificationsTab</name>
    <message>
        <source>&amp;Show desktop notifications (an offer, a missed call, a sign-out, wrap-up ending)</source>
        <translation>&amp;Показывать уведомления о звонках, завершении сеанса и конце постобработки</translation>
    </message>
    <message>
        <source>Show desktop notifications</source>
        <translation>Показывать уведомления на рабочем столе</translation>
    </message>
    <message>
        <source> s</source>
        <comment>seconds</comment>
        <translation> с</translation>
    </message>
    <message>
        <source>&amp;Warn before wrap-up ends:</source>
        <translation>Предупреждать о &amp;конце постобработки за:</translation>
    </message>
    <message>
        <source>The warning also plays the chime when sound is on.</source>
        <translation>Если звук включён, предупреждение сопровождается сигналом.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
    <message>
        <source>Ready again</source>
        <translation>Снова готов</translation>
    </message>
    <message>
        <source>Queue: {queue}</source>
        <translation>Очередь: {queue}</translation>
    </message>
    <message>
        <source>Call from {caller}</source>
        <translation>Звонок от {caller}</translation>
    </message>
    <message>
        <source>You are Away</source>
        <translation>Вы в статусе «Не готов»</translation>
    </message>
    <message>
        <source>Why: {why}</source>
        <translation>Почему: {why}</translation>
    </message>
    <message>
        <source>By: {who}</source>
        <translation>Кто: {who}</translation>
    </message>
    <message>
        <source>You were logged out</source>
        <translation>Вас вывели из очередей</translation>
    </message>
    <message>
        <source>No call can ring until you log in again.</source>
        <translation>Звонки не придут, пока вы снова не войдёте.</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Сеанс завершён</translation>
    </message>
    <message>
        <source>The server signed the toolbar out: {reason}.</source>
        <translation>Сервер завершил сеанс панели: {reason}.</translation>
    </message>
    <message>
        <source>It cannot follow your calls until you sign in again.</source>
        <translation>Пока вы не войдёте снова, панель не может следить за вашими звонками.</translation>
    </message>
    <message>
        <source>Your phone did not ring</source>
        <translation>Ваш телефон не зазвонил</translation>
    </message>
    <message>
        <source>Calls can ring again when it ends.</source>
        <translation>Когда она закончится, звонки снова начнут поступать.</translation>
    </message>
</context>
<context>
    <name>OfferCard</name>
    <message>
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Place in queue</source>
        <translation>Место в очереди</translation>
    </message>
    <message>
        <source>Time left to answer</source>
        <translation>Время на ответ</translation>
    </message>
    <message>
        <source>What missing it costs</source>
        <translation>Чем грозит пропуск</translation>
    </message>
    <message>
        <source>Queue: {queue}</source>
        <translation>Очередь: {queue}</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <source>&amp;Advanced</source>
        <translation>Дополнит&amp;ельно</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>Дополнительные настройки</translation>
    </message>
    <message>
        <source>Profile &amp;name:</source>
        <translation>&amp;Имя профиля:</translation>
    </message>
    <message>
        <source>e.g. work</source>
        <translation>например, work</translation>
    </message>
    <message>
        <source>&amp;Phone system:</source>
        <translation>&amp;АТС:</translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation>URL &amp;сервера:</translation>
    </message>
    <message>
        <source>Use an API ke&amp;y instead of a user name and password</source>
        <translation>Использовать &amp;ключ API вместо имени и пароля</translation>
    </message>
    <message>
        <source>Use an API key</source>
        <translation>Использовать ключ API</translation>
    </message>
    <message>
        <source>A&amp;ccount name:</source>
        <translation>Имя &amp;учётной записи:</translation>
    </message>
    <message>
        <source>App &amp;id:</source>
        <translation>ID &amp;приложения:</translation>
    </message>
    <message>
        <source>App s&amp;ecret:</source>
        <translation>Се&amp;крет приложения:</translation>
    </message>
    <message>
        <source>User na&amp;me:</source>
        <translation>И&amp;мя пользователя:</translation>
    </message>
    <message>
        <source>User &amp;id:</source>
        <translation>ID по&amp;льзователя:</translation>
    </message>
    <message>
        <source>only when the key names no user</source>
        <translation>только если ключ не привязан к пользователю</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Па&amp;роль:</translation>
    </message>
    <message>
        <source>A&amp;gent id:</source>
        <translation>ID а&amp;гента:</translation>
    </message>
    <message>
        <source>E&amp;xtension id:</source>
        <translation>ID вну&amp;треннего номера:</translation>
    </message>
    <message>
        <source>&amp;Listen for Telphin on:</source>
        <translation>&amp;Локальный адрес для Telphin:</translation>
    </message>
    <message>
        <source>Public call&amp;back URL:</source>
        <translation>Публичный URL для &amp;обратных вызовов:</translation>
    </message>
    <message>
        <source>default: http://HOST:PORT of the line above</source>
        <translation>по умолчанию: http://HOST:PORT из строки выше</translation>
    </message>
    <message>
        <source>Without a user name (a trusted app), give the agent id or the extension id. Telphin calls the toolbar back at the public callback URL: it must reach the address the toolbar listens on.</source>
        <translation>Без имени пользователя (доверенное приложение) укажите ID агента или ID внутреннего номера. Telphin обращается к панели по публичному URL для обратных вызовов: он должен вести на локальный адрес, на котором панель принимает запросы.</translation>
    </message>
    <message>
        <source>only for a server with a private certificate</source>
        <translation>только для сервера с частным сертификатом</translation>
    </message>
    <message>
        <source>Br&amp;owse…</source>
        <translation>О&amp;бзор…</translation>
    </message>
    <message>
        <source>Choose the CA file</source>
        <translation>Выбрать файл ЦС</translation>
    </message>
    <message>
        <source>CA &amp;file:</source>
        <translation>&amp;Файл ЦС:</translation>
    </message>
    <message>
        <source>Allow unencrypted &amp;http:// and ws:// to this server</source>
        <translation>Разрешить &amp;незашифрованные http:// и ws://</translation>
    </message>
    <message>
        <source>Allow unencrypted connections</source>
        <translation>Разрешить незашифрованные подключения</translation>
    </message>
    <message>
        <source>Without encryption, anyone on the network between you and the server can read your password and change what the toolbar shows. Allow it only for a test server or a network you trust.</source>
        <translation>Без шифрования любой в сети между вами и сервером может прочитать ваш пароль и подменить то, что показывает панель. Разрешайте это только для тестового сервера или сети, которой доверяете.</translation>
    </message>
    <message>
        <source>Websocke&amp;t URL:</source>
        <translation>URL веб-с&amp;окета:</translation>
    </message>
    <message>
        <source>default: the one the server names</source>
        <translation>по умолчанию: тот, что сообщает сервер</translation>
    </message>
    <message>
        <source>Te&amp;st</source>
        <translation>Пр&amp;оверить</translation>
    </message>
    <message>
        <source>Open the CRM with sample values</source>
        <translation>Открыть CRM с примерными значениями</translation>
    </message>
    <message>
        <source>Open in C&amp;RM:</source>
        <translation>Открывать в C&amp;RM:</translation>
    </message>
    <message>
        <source>when a call rings</source>
        <translation>когда звонок поступает</translation>
    </message>
    <message>
        <source>when a call is answered</source>
        <translation>когда звонок принят</translation>
    </message>
    <message>
        <source>Open it:</source>
        <translation>Когда открывать:</translation>
    </message>
    <message>
        <source>This template is refused: {reason}</source>
        <translation>Этот шаблон не подходит: {reason}</translation>
    </message>
    <message>
        <source>Write the CRM&apos;s address or command first.</source>
        <translation>Сначала впишите адрес или команду CRM.</translation>
    </message>
    <message>
        <source>The CRM was not opened: {reason}</source>
        <translation>CRM не открылась: {reason}</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>Клю&amp;ч API:</translation>
    </message>
    <message>
        <source>empty for a trusted app</source>
        <translation>пусто для доверенного приложения</translation>
    </message>
    <message>
        <source>&amp;Remember the password in the keychain</source>
        <translation>&amp;Запомнить пароль в системном хранилище</translation>
    </message>
    <message>
        <source>&amp;Remember the app secret and password in the keychain</source>
        <translation>&amp;Запомнить секрет приложения и пароль в системном хранилище</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>Сертификаты (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Все файлы (*)</translation>
    </message>
</context>
<context>
    <name>ProfilesTab</name>
    <message>
        <source>Profiles</source>
        <translation>Профили</translation>
    </message>
    <message>
        <source>&amp;Profiles:</source>
        <translation>&amp;Профили:</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Добавить…</translation>
    </message>
    <message>
        <source>Add a profile</source>
        <translation>Добавить профиль</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Изменить…</translation>
    </message>
    <message>
        <source>Edit the profile</source>
        <translation>Изменить профиль</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>&amp;Удалить…</translation>
    </message>
    <message>
        <source>Remove the profile</source>
        <translation>Удалить профиль</translation>
    </message>
    <message>
        <source>Make &amp;default</source>
        <translation>Сделать &amp;основным</translation>
    </message>
    <message>
        <source>Make the profile the default</source>
        <translation>Сделать профиль основным</translation>
    </message>
    <message>
        <source>Keep this profile&apos;s call &amp;history on this computer</source>
        <translation>Хранить &amp;историю звонков этого профиля на этом компьютере</translation>
    </message>
    <message>
        <source>Keep call history</source>
        <translation>Хранить историю звонков</translation>
    </message>
    <message>
        <source>Applies the next time the profile signs in</source>
        <translation>Вступит в силу при следующем входе с этим профилем</translation>
    </message>
    <message>
        <source>Give the profile {name} at least one away reason (one per line).</source>
        <translation>Укажите для профиля {name} хотя бы одну причину «Не готов» (по одной в строке).</translation>
    </message>
    <message>
        <source>{name} (default)</source>
        <translation>{name} (основной)</translation>
    </message>
    <message>
        <source>Away &amp;reasons for {name}, one per line:</source>
        <translation>П&amp;ричины «Не готов» для профиля {name}, по одной в строке:</translation>
    </message>
    <message>
        <source>Away &amp;reasons, one per line:</source>
        <translation>П&amp;ричины «Не готов», по одной в строке:</translation>
    </message>
    <message>
        <source>Away reasons</source>
        <translation>Причины «Не готов»</translation>
    </message>
    <message>
        <source>Telphin has no Away status, so it has no away reasons.</source>
        <translation>В Telphin нет статуса «Не готов», поэтому нет и причин для него.</translation>
    </message>
    <message>
        <source>Remove the profile?</source>
        <translation>Удалить профиль?</translation>
    </message>
    <message>
        <source>Remove the profile {name}? The toolbar forgets its server and account, and the password it remembered for it.</source>
        <translation>Удалить профиль {name}? Панель забудет его сервер, учётную запись и запомненный для него пароль.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Оставить</translation>
    </message>
</context>
<context>
    <name>QueuesView</name>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Pause for 5 min</source>
        <translation>Пауза на 5 мин</translation>
    </message>
    <message>
        <source>Pause for 15 min</source>
        <translation>Пауза на 15 мин</translation>
    </message>
    <message>
        <source>Pause for 30 min</source>
        <translation>Пауза на 30 мин</translation>
    </message>
    <message>
        <source>Pause for 1 hour</source>
        <translation>Пауза на 1 час</translation>
    </message>
    <message>
        <source>Your queues</source>
        <translation>Ваши очереди</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Очереди</translation>
    </message>
    <message>
        <source>Log in to see your queues.</source>
        <translation>Войдите, чтобы увидеть свои очереди.</translation>
    </message>
    <message>
        <source>Your queues are not known yet.</source>
        <translation>Ваши очереди пока неизвестны.</translation>
    </message>
    <message>
        <source>Queue pressure</source>
        <translation>Нагрузка очереди</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Снять паузу</translation>
    </message>
    <message>
        <source>Queue {n}</source>
        <translation>Очередь {n}</translation>
    </message>
    <message>
        <source>Pause {queue}</source>
        <translation>Пауза в очереди «{queue}»</translation>
    </message>
    <message>
        <source>Resume {queue}</source>
        <translation>Снять паузу в очереди «{queue}»</translation>
    </message>
    <message>
        <source>{change}: off, the server refused it ({why})</source>
        <translation>{change}: недоступно, сервер это не принимает ({why})</translation>
    </message>
</context>
<context>
    <name>QuitGuard</name>
    <message>
        <source>Quit the toolbar?</source>
        <translation>Закрыть панель?</translation>
    </message>
    <message>
        <source>Log out or go Away first, so that calls do not ring at an empty seat.</source>
        <translation>Сначала выйдите из системы или перейдите в «Не готов», чтобы звонки не поступали на пустое рабочее место.</translation>
    </message>
    <message>
        <source>Log out first, so that calls do not ring at an empty seat.</source>
        <translation>Сначала выйдите, чтобы звонки не шли на пустое место.</translation>
    </message>
    <message>
        <source>Log out and quit</source>
        <translation>Выйти из системы и закрыть</translation>
    </message>
    <message>
        <source>Go away and quit</source>
        <translation>Перейти в «Не готов» и закрыть</translation>
    </message>
    <message>
        <source>Quit and stay ready</source>
        <translation>Закрыть и остаться в «Готов»</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>A call is ringing for you, and you are Ready.</source>
        <translation>Вам поступает звонок, и вы в статусе «Готов».</translation>
    </message>
    <message>
        <source>You are on a call, and Ready for the next one.</source>
        <translation>У вас идёт разговор, и вы в статусе «Готов» для следующего звонка.</translation>
    </message>
    <message>
        <source>You are in wrap-up: calls ring again when it ends.</source>
        <translation>У вас постобработка: когда она закончится, звонки снова начнут поступать.</translation>
    </message>
    <message>
        <source>You are Ready: calls keep ringing here.</source>
        <translation>Вы в статусе «Готов»: звонки продолжат поступать сюда.</translation>
    </message>
    <message>
        <source>Still Ready on the server</source>
        <translation>На сервере вы всё ещё «Готов»</translation>
    </message>
    <message>
        <source>You are still Ready on the server: calls will ring here.</source>
        <translation>На сервере вы всё ещё «Готов»: звонки будут приходить сюда.</translation>
    </message>
    <message>
        <source>The toolbar could not set you Away: {reason}.</source>
        <translation>Панели не удалось перевести вас в «Не готов»: {reason}.</translation>
    </message>
    <message>
        <source>The toolbar could not log you out: {reason}.</source>
        <translation>Панели не удалось вывести вас из очередей: {reason}.</translation>
    </message>
    <message>
        <source>Try again, stay, or quit anyway and leave calls ringing at an empty seat.</source>
        <translation>Попробуйте ещё раз, останьтесь или всё равно выйдите — тогда звонки будут идти на пустое место.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Попробовать ещё раз</translation>
    </message>
    <message>
        <source>Stay</source>
        <translation>Остаться</translation>
    </message>
    <message>
        <source>Quit anyway</source>
        <translation>Всё равно выйти</translation>
    </message>
    <message>
        <source>Last time the toolbar could not set you Away ({time}, {reason}).</source>
        <translation>В прошлый раз панели не удалось перевести вас в «Не готов» ({time}, {reason}).</translation>
    </message>
    <message>
        <source>Last time the toolbar could not log you out ({time}, {reason}).</source>
        <translation>В прошлый раз панели не удалось вывести вас из очередей ({time}, {reason}).</translation>
    </message>
    <message>
        <source>The last quit left you Ready</source>
        <translation>После прошлого выхода вы остались «Готов»</translation>
    </message>
    <message>
        <source>Calls may have rung here after you left. Check your status: the toolbar now shows what the server says.</source>
        <translation>После вашего ухода сюда могли приходить звонки. Проверьте статус: панель сейчас показывает то, что говорит сервер.</translation>
    </message>
</context>
<context>
    <name>RestartNotice</name>
    <message>
        <source>Your organisation changed the toolbar&apos;s settings: restart it to apply them</source>
        <translation>Ваша организация изменила настройки панели: перезапустите её, чтобы они применились</translation>
    </message>
    <message>
        <source>The toolbar was updated: restart it to use the new version</source>
        <translation>Панель обновлена: перезапустите её, чтобы работать в новой версии</translation>
    </message>
    <message>
        <source>Restart the toolbar</source>
        <translation>Перезапустить панель</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Перезапустить</translation>
    </message>
    <message>
        <source>Your status stays on the server as it is: the toolbar does not log you out, and signs in again at once.</source>
        <translation>Ваш статус на сервере не изменится: панель не выводит вас из системы и сразу входит снова.</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Позже</translation>
    </message>
</context>
<context>
    <name>ScreenPop</name>
    <message>
        <source>The CRM was not opened: {reason}</source>
        <translation>CRM не открылась: {reason}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Звук</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Уведомления</translation>
    </message>
    <message>
        <source>Hotkeys</source>
        <translation>Горячие клавиши</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>Профили</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Проблемы</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>ОК</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Применить</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Edit the profile {name}</source>
        <translation>Изменение профиля {name}</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Вход</translation>
    </message>
    <message>
        <source>The settings file could not be read: {problem}
When you sign in, the toolbar writes a new settings file in its place.</source>
        <translation>Не удалось прочитать файл настроек: {problem}
После входа панель запишет на его место новый файл настроек.</translation>
    </message>
    <message>
        <source>Checking the connection</source>
        <translation>Проверка подключения</translation>
    </message>
    <message>
        <source>Part of your organisation&apos;s settings could not be applied: {problems}</source>
        <translation>Часть настроек вашей организации не удалось применить: {problems}</translation>
    </message>
    <message>
        <source>Sign-in status</source>
        <translation>Состояние входа</translation>
    </message>
    <message>
        <source>Part of the settings file could not be read, and is left out: {problem}
The toolbar uses the rest. When you sign in, the file as it is now is kept as {copy}, and a new one is written with what could be read.</source>
        <translation>Часть файла настроек не удалось прочитать, она пропущена: {problem}
Панель использует остальное. После входа нынешний файл сохранится как {copy}, а на его место будет записан новый — с тем, что удалось прочитать.</translation>
    </message>
    <message>
        <source>The settings file could not be read: {problem}
When you sign in, the file as it is now is kept as {copy}, and a new one is written in its place.</source>
        <translation>Не удалось прочитать файл настроек: {problem}
После входа нынешний файл сохранится как {copy}, а на его место будет записан новый.</translation>
    </message>
    <message>
        <source>No account? Try the &amp;demo</source>
        <translation>Нет учётной записи? Попробуйте &amp;демо</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>Попробовать демо</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Войти</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Check connection…</source>
        <translation>Проверить подключение…</translation>
    </message>
    <message>
        <source>Check the connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <source>Details: {details}</source>
        <translation>Подробности: {details}</translation>
    </message>
    <message>
        <source>A profile name is 1 to 64 letters, digits, - and _ (no spaces).</source>
        <translation>Имя профиля — от 1 до 64 символов: буквы, цифры, - и _ (без пробелов).</translation>
    </message>
    <message>
        <source>Checking the connection…</source>
        <translation>Проверка подключения…</translation>
    </message>
    <message>
        <source>{problem}
{fix}</source>
        <translation>{problem}
{fix}</translation>
    </message>
    <message>
        <source>Signing in did not work: see the marked field.</source>
        <translation>Войти не удалось: см. отмеченное поле.</translation>
    </message>
    <message>
        <source>Give the profile a name, such as work.</source>
        <translation>Дайте профилю имя, например work.</translation>
    </message>
    <message>
        <source>There is already a profile named {name}: choose another name.</source>
        <translation>Профиль с именем {name} уже есть: выберите другое имя.</translation>
    </message>
    <message>
        <source>Signing in failed unexpectedly ({reason}). Try again; if it keeps failing, send the diagnostics to support.</source>
        <translation>Не удалось войти из-за непредвиденной ошибки ({reason}). Попробуйте ещё раз; если ошибка повторится, отправьте диагностику в поддержку.</translation>
    </message>
    <message>
        <source>Signed in.</source>
        <translation>Вход выполнен.</translation>
    </message>
    <message>
        <source>Stopped checking. Nothing was saved.</source>
        <translation>Проверка остановлена. Ничего не сохранено.</translation>
    </message>
</context>
<context>
    <name>SoundTab</name>
    <message>
        <source>&amp;Play sounds (a ring for an offer, a chime before wrap-up ends)</source>
        <translation>&amp;Воспроизводить мелодию звонка и сигнал перед концом постобработки</translation>
    </message>
    <message>
        <source>Play sounds</source>
        <translation>Воспроизводить звуки</translation>
    </message>
    <message>
        <source>Sound cannot play on this computer: {reason}</source>
        <translation>На этом компьютере звук не воспроизводится: {reason}</translation>
    </message>
    <message>
        <source>&amp;Volume:</source>
        <translation>&amp;Громкость:</translation>
    </message>
    <message>
        <source>&amp;Ring plays on:</source>
        <translation>Вывод &amp;мелодии звонка:</translation>
    </message>
    <message>
        <source>C&amp;hime plays on:</source>
        <translation>Вывод &amp;сигнала:</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Устройство по умолчанию</translation>
    </message>
    <message>
        <source>{device} (not connected)</source>
        <translation>{device} (не подключено)</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <source>Test the ring</source>
        <translation>Проверить мелодию звонка</translation>
    </message>
    <message>
        <source>Test the chime</source>
        <translation>Проверить сигнал</translation>
    </message>
    <message>
        <source>{percent} %</source>
        <translation>{percent} %</translation>
    </message>
</context>
<context>
    <name>StatsLine</name>
    <message>
        <source>Your stats</source>
        <translation>Ваша статистика</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Status detail</source>
        <translation>Подробности статуса</translation>
    </message>
    <message>
        <source>Time in status</source>
        <translation>Время в статусе</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>Абонент</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Связь</translation>
    </message>
    <message>
        <source>What to do next</source>
        <translation>Что делать дальше</translation>
    </message>
    <message>
        <source>Monitoring</source>
        <translation>Наблюдение</translation>
    </message>
    <message>
        <source>{status}, not confirmed</source>
        <translation>{status}, не подтверждено</translation>
    </message>
    <message>
        <source>Log in to take calls</source>
        <translation>Войдите, чтобы принимать звонки</translation>
    </message>
    <message>
        <source>Phone not registered</source>
        <translation>Телефон не зарегистрирован</translation>
    </message>
    <message>
        <source>{caller} · {queue}</source>
        <translation>{caller} · {queue}</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>Timeline</source>
        <translation>Журнал</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Изменение</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Кто</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Почему</translation>
    </message>
    <message>
        <source>Timeline of changes</source>
        <translation>Журнал изменений</translation>
    </message>
</context>
<context>
    <name>ToolbarActions</name>
    <message>
        <source>&amp;Ready</source>
        <translation>&amp;Готов</translation>
    </message>
    <message>
        <source>&amp;Away</source>
        <translation>&amp;Не готов</translation>
    </message>
    <message>
        <source>Log &amp;in</source>
        <translation>&amp;Войти</translation>
    </message>
    <message>
        <source>&amp;Extend wrap-up</source>
        <translation>&amp;Продлить постобработку</translation>
    </message>
    <message>
        <source>&amp;Finish wrap-up</source>
        <translation>&amp;Завершить постобработку</translation>
    </message>
    <message>
        <source>Away after this call</source>
        <translation>«Не готов» после звонка</translation>
    </message>
    <message>
        <source>Log out after wrap-up</source>
        <translation>Выйти после постобработки</translation>
    </message>
    <message>
        <source>Cancel plan</source>
        <translation>Отменить план</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>По&amp;вторить</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <source>Show &amp;panel</source>
        <translation>Показать &amp;панель</translation>
    </message>
    <message>
        <source>Keep on &amp;top</source>
        <translation>Поверх &amp;других окон</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>Переподключиться</translation>
    </message>
    <message>
        <source>&amp;Check connection…</source>
        <translation>Проверить подкл&amp;ючение…</translation>
    </message>
    <message>
        <source>&amp;Open in CRM</source>
        <translation>О&amp;ткрыть в CRM</translation>
    </message>
    <message>
        <source>&amp;Dial…</source>
        <translation>&amp;Набрать номер…</translation>
    </message>
    <message>
        <source>Call &amp;back</source>
        <translation>&amp;Перезвонить</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>Pause or resume queue {n}</source>
        <translation>Пауза или снятие паузы в очереди {n}</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Ответить</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>Положить трубку</translation>
    </message>
    <message>
        <source>New caller</source>
        <translation>Новый абонент</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>В&amp;ыйти</translation>
    </message>
    <message>
        <source>Away after wrap-up</source>
        <translation>«Не готов» после постобработки</translation>
    </message>
    <message>
        <source>the caller&apos;s number is unknown</source>
        <translation>номер абонента неизвестен</translation>
    </message>
    <message>
        <source>{action}: not now, {reason}</source>
        <translation>{action}: сейчас нельзя, {reason}</translation>
    </message>
    <message>
        <source>No reason</source>
        <translation>Без причины</translation>
    </message>
</context>
<context>
    <name>ToolbarWindow</name>
    <message>
        <source>Agent toolbar</source>
        <translation>Панель агента</translation>
    </message>
    <message>
        <source>Log &amp;in</source>
        <translation>&amp;Войти</translation>
    </message>
    <message>
        <source>Log out after wrap-up</source>
        <translation>Выйти после постобработки</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <source>Show &amp;panel</source>
        <translation>Показать &amp;панель</translation>
    </message>
    <message>
        <source>Away, with a reason</source>
        <translation>Не готов, с причиной</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Очереди</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Меню</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Готов</translation>
    </message>
    <message>
        <source>Log in or out</source>
        <translation>Войти или выйти</translation>
    </message>
    <message>
        <source>Show or hide the panel</source>
        <translation>Показать или скрыть панель</translation>
    </message>
    <message>
        <source>Extend wrap-up</source>
        <translation>Продлить постобработку</translation>
    </message>
    <message>
        <source>Finish wrap-up</source>
        <translation>Завершить постобработку</translation>
    </message>
    <message>
        <source>Ready again</source>
        <translation>Снова готов</translation>
    </message>
    <message>
        <source>Call the missed caller back</source>
        <translation>Перезвонить пропущенному абоненту</translation>
    </message>
    <message>
        <source>Log in again</source>
        <translation>Войти снова</translation>
    </message>
    <message>
        <source>Retry the change</source>
        <translation>Повторить изменение</translation>
    </message>
    <message>
        <source>Dismiss the failure</source>
        <translation>Скрыть ошибку</translation>
    </message>
    <message>
        <source>Cancel the planned change</source>
        <translation>Отменить запланированное изменение</translation>
    </message>
    <message>
        <source>Open the caller in the CRM</source>
        <translation>Открыть абонента в CRM</translation>
    </message>
    <message>
        <source>Away after this call or wrap-up, with a reason</source>
        <translation>«Не готов» после звонка или постобработки, с причиной</translation>
    </message>
    <message>
        <source>Demo phone (simulator only):</source>
        <translation>Демо-телефон (только симулятор):</translation>
    </message>
    <message>
        <source>Answer the ringing call (demo)</source>
        <translation>Ответить на звонок (демо)</translation>
    </message>
    <message>
        <source>Decline the ringing call (demo)</source>
        <translation>Отклонить звонок (демо)</translation>
    </message>
    <message>
        <source>Hang up the call (demo)</source>
        <translation>Завершить звонок (демо)</translation>
    </message>
    <message>
        <source>Make a new caller arrive (demo)</source>
        <translation>Добавить нового абонента (демо)</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>В&amp;ыйти</translation>
    </message>
    <message>
        <source>Hide &amp;panel</source>
        <translation>Скрыть &amp;панель</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Agent toolbar</source>
        <translation>Панель агента</translation>
    </message>
    <message>
        <source>Queues: {summary}</source>
        <translation>Очереди: {summary}</translation>
    </message>
    <message>
        <source>Call from {caller}</source>
        <translation>Звонок от {caller}</translation>
    </message>
    <message>
        <source>Agent toolbar is still running</source>
        <translation>Панель агента продолжает работать</translation>
    </message>
    <message>
        <source>It keeps following your calls. Click its icon to show it; quit from its menu.</source>
        <translation>Она по-прежнему следит за вашими звонками. Чтобы открыть её, щёлкните значок; чтобы выйти, выберите «Выход» в его меню.</translation>
    </message>
</context>
<context>
    <name>TrayMenu</name>
    <message>
        <source>Away</source>
        <translation>Не готов</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Очереди</translation>
    </message>
    <message>
        <source>{status} ({link})</source>
        <translation>{status} ({link})</translation>
    </message>
    <message>
        <source>{queue}: {pause}</source>
        <translation>{queue}: {pause}</translation>
    </message>
    <message>
        <source>Hide window</source>
        <translation>Скрыть окно</translation>
    </message>
    <message>
        <source>Show window</source>
        <translation>Показать окно</translation>
    </message>
</context>
<context>
    <name>Wakeups</name>
    <message>
        <source>the computer woke from sleep</source>
        <translation>компьютер вышел из спящего режима</translation>
    </message>
    <message>
        <source>the network changed</source>
        <translation>сеть изменилась</translation>
    </message>
    <message>
        <source>the network came back</source>
        <translation>сеть снова доступна</translation>
    </message>
</context>
<context>
    <name>WrapupCard</name>
    <message>
        <source>Wrap-up</source>
        <translation>Постобработка</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Wrap-up time left</source>
        <translation>Остаток постобработки</translation>
    </message>
    <message>
        <source>Wrap-up is ending</source>
        <translation>Постобработка заканчивается</translation>
    </message>
    <message>
        <source>After a {queue} call</source>
        <translation>После звонка из очереди «{queue}»</translation>
    </message>
</context>
<context>
    <name>cause</name>
    <message>
        <source>logged in</source>
        <translation>вход в систему</translation>
    </message>
    <message>
        <source>logged out</source>
        <translation>выход из системы</translation>
    </message>
    <message>
        <source>logged out: {reason}</source>
        <translation>выход из системы: {reason}</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>готов</translation>
    </message>
    <message>
        <source>away</source>
        <translation>не готов</translation>
    </message>
    <message>
        <source>away: {reason}</source>
        <translation>не готов: {reason}</translation>
    </message>
    <message>
        <source>missed the call from {who}; the queue sets agents away after a missed call</source>
        <translation>пропущен звонок от {who}; после пропущенного звонка очередь переводит агента в «Не готов»</translation>
    </message>
    <message>
        <source>queue paused</source>
        <translation>очередь на паузе</translation>
    </message>
    <message>
        <source>queue resumed</source>
        <translation>пауза в очереди снята</translation>
    </message>
    <message>
        <source>wrap-up started</source>
        <translation>началась постобработка</translation>
    </message>
    <message>
        <source>wrap-up ended</source>
        <translation>постобработка закончилась</translation>
    </message>
    <message>
        <source>call from {who} offered</source>
        <translation>поступил звонок от {who}</translation>
    </message>
    <message>
        <source>call from {who} not answered</source>
        <translation>звонок от {who} остался без ответа</translation>
    </message>
    <message>
        <source>declined the call from {who}</source>
        <translation>отклонён звонок от {who}</translation>
    </message>
    <message>
        <source>declined the call from {who}; the queue sets agents away after a missed call</source>
        <translation>отклонён звонок от {who}; после пропущенного звонка очередь переводит агента в «Не готов»</translation>
    </message>
    <message>
        <source>offer from {who} rang out</source>
        <translation>звонок от {who} не дождался ответа</translation>
    </message>
    <message>
        <source>the queue withdrew the offer (caller left)</source>
        <translation>очередь отозвала звонок (абонент положил трубку)</translation>
    </message>
    <message>
        <source>answered the call from {who}</source>
        <translation>принят звонок от {who}</translation>
    </message>
    <message>
        <source>call ended</source>
        <translation>звонок завершён</translation>
    </message>
    <message>
        <source>a call ended</source>
        <translation>звонок завершён</translation>
    </message>
    <message>
        <source>call outside the queues started</source>
        <translation>начался звонок вне очередей</translation>
    </message>
    <message>
        <source>call outside the queues ended</source>
        <translation>звонок вне очередей завершён</translation>
    </message>
    <message>
        <source>a call outside the queues ended</source>
        <translation>звонок вне очередей завершён</translation>
    </message>
    <message>
        <source>periodic sync</source>
        <translation>плановая сверка</translation>
    </message>
    <message>
        <source>the server&apos;s periodic sync says {status}</source>
        <translation>плановая сверка сервера: {status}</translation>
    </message>
    <message>
        <source>monitoring {target} ({mode})</source>
        <translation>наблюдение за {target} ({mode})</translation>
    </message>
    <message>
        <source>a supervisor started monitoring ({mode})</source>
        <translation>супервизор начал наблюдение ({mode})</translation>
    </message>
    <message>
        <source>monitoring ended</source>
        <translation>наблюдение закончилось</translation>
    </message>
    <message>
        <source>a monitoring attempt failed</source>
        <translation>попытка наблюдения не удалась</translation>
    </message>
    <message>
        <source>your phone could not be rung: it is not registered (is the softphone running?)</source>
        <translation>на ваш телефон не удалось позвонить: он не зарегистрирован (запущен ли софтфон?)</translation>
    </message>
    <message>
        <source>checked with the server</source>
        <translation>сверено с сервером</translation>
    </message>
    <message>
        <source>checked with the server on connecting</source>
        <translation>сверено с сервером при подключении</translation>
    </message>
    <message>
        <source>checked with the server after reconnecting</source>
        <translation>сверено с сервером после переподключения</translation>
    </message>
    <message>
        <source>checked with the server after an unreadable frame</source>
        <translation>сверено с сервером после нечитаемого сообщения</translation>
    </message>
    <message>
        <source>checked with the server after a burst of events</source>
        <translation>сверено с сервером после потока событий</translation>
    </message>
    <message>
        <source>checked a change the server accepted</source>
        <translation>проверено изменение, принятое сервером</translation>
    </message>
    <message>
        <source>periodic check with the server</source>
        <translation>плановая сверка с сервером</translation>
    </message>
</context>
<context>
    <name>forms</name>
    <message>
        <source>Set by your organisation</source>
        <translation>Задано вашей организацией</translation>
    </message>
</context>
<context>
    <name>keychain</name>
    <message>
        <source>no keychain service is running in this session (GNOME Keyring, KWallet or KeePassXC&apos;s Secret Service); the password will be asked at each start</source>
        <translation>в этом сеансе не запущена служба системного хранилища (GNOME Keyring, KWallet или Secret Service в KeePassXC); пароль будет запрашиваться при каждом запуске</translation>
    </message>
    <message>
        <source>no keychain is available; the password will be asked at each start</source>
        <translation>системное хранилище недоступно; пароль будет запрашиваться при каждом запуске</translation>
    </message>
    <message>
        <source>the configured keyring ({name}) keeps secrets in a file, not in a keychain; the password will be asked at each start</source>
        <translation>выбранное хранилище ({name}) держит секреты в файле, а не в системном хранилище; пароль будет запрашиваться при каждом запуске</translation>
    </message>
    <message>
        <source>the keychain did not keep the password ({error}); it will be asked at the next start</source>
        <translation>связка ключей не сохранила пароль ({error}); он будет запрошен при следующем запуске</translation>
    </message>
</context>
<context>
    <name>reason</name>
    <message>
        <source>from the phone</source>
        <translation>с телефона</translation>
    </message>
    <message>
        <source>missed call</source>
        <translation>пропущенный звонок</translation>
    </message>
</context>
<context>
    <name>signin</name>
    <message>
        <source>the server URL is missing</source>
        <translation>не указан URL сервера</translation>
    </message>
    <message>
        <source>the account name is missing</source>
        <translation>не указано имя учётной записи</translation>
    </message>
    <message>
        <source>the user name is missing</source>
        <translation>не указано имя пользователя</translation>
    </message>
    <message>
        <source>the app id is missing</source>
        <translation>не указан ID приложения</translation>
    </message>
    <message>
        <source>give the server&apos;s API address</source>
        <translation>укажите адрес API сервера</translation>
    </message>
    <message>
        <source>give the API key</source>
        <translation>укажите ключ API</translation>
    </message>
    <message>
        <source>the API key is missing</source>
        <translation>не указан ключ API</translation>
    </message>
    <message>
        <source>give it, or sign in with an API key</source>
        <translation>укажите его или войдите с ключом API</translation>
    </message>
    <message>
        <source>give the id of the app your administrator registered</source>
        <translation>укажите ID приложения, которое зарегистрировал ваш администратор</translation>
    </message>
    <message>
        <source>give the app&apos;s secret</source>
        <translation>укажите секрет приложения</translation>
    </message>
    <message>
        <source>the app secret is missing</source>
        <translation>не указан секрет приложения</translation>
    </message>
    <message>
        <source>give the queue agent&apos;s id or the phone extension (a trusted app signs in as no user), or give a user name</source>
        <translation>укажите ID агента очереди или внутренний номер (доверенное приложение входит без пользователя) либо укажите имя пользователя</translation>
    </message>
    <message>
        <source>the agent is not named</source>
        <translation>не указан агент</translation>
    </message>
    <message>
        <source>&quot;{url}&quot; is not a {plain}:// or {secure}:// address</source>
        <translation>«{url}» — не адрес вида {plain}:// или {secure}://</translation>
    </message>
    <message>
        <source>write the whole address, such as {example}</source>
        <translation>укажите полный адрес, например {example}</translation>
    </message>
    <message>
        <source>&quot;{bind}&quot; is not a listening address</source>
        <translation>«{bind}» — не адрес для приёма подключений</translation>
    </message>
    <message>
        <source>write HOST:PORT, such as {example} (port 0: any free port)</source>
        <translation>укажите HOST:PORT, например {example} (порт 0 — любой свободный порт)</translation>
    </message>
    <message>
        <source>{host} would be reached unencrypted ({scheme}://): passwords and tokens would cross the network in clear</source>
        <translation>подключение к {host} не будет зашифровано ({scheme}://): пароли и токены пойдут по сети открытым текстом</translation>
    </message>
    <message>
        <source>use https:// (wss:// for events); only if this server has no TLS and the network is trusted, allow unencrypted connections to it</source>
        <translation>используйте https:// (wss:// для событий); разрешайте незашифрованные подключения к этому серверу, только если у него нет TLS, а сеть доверенная</translation>
    </message>
    <message>
        <source>the CA file {path} {refused}</source>
        <translation>файл центра сертификации {path}: {refused}</translation>
    </message>
    <message>
        <source>the CA file {path} holds no PEM certificate</source>
        <translation>в файле ЦС {path} нет сертификата PEM</translation>
    </message>
    <message>
        <source>the CA file {path} does not exist</source>
        <translation>файл ЦС {path} не существует</translation>
    </message>
    <message>
        <source>the CA file {path} cannot be read ({reason})</source>
        <translation>не удалось прочитать файл ЦС {path} ({reason})</translation>
    </message>
    <message>
        <source>the CA file {path} cannot be read (unreadable)</source>
        <translation>не удалось прочитать файл ЦС {path}</translation>
    </message>
    <message>
        <source>type the password</source>
        <translation>введите пароль</translation>
    </message>
    <message>
        <source>the password is missing</source>
        <translation>не указан пароль</translation>
    </message>
    <message>
        <source>try again in a few minutes; if it goes on, tell your administrator what it says</source>
        <translation>попробуйте ещё раз через несколько минут; если ошибка повторится, сообщите администратору её текст</translation>
    </message>
    <message>
        <source>give the agent&apos;s user id: this sign-in names no user</source>
        <translation>укажите ID пользователя-агента: при таком входе пользователь не указан</translation>
    </message>
    <message>
        <source>give the events (websocket) URL your administrator uses</source>
        <translation>укажите URL событий (веб-сокета), который использует ваш администратор</translation>
    </message>
    <message>
        <source>choose the CA certificate your administrator gave you (a PEM file)</source>
        <translation>выберите сертификат ЦС, выданный администратором (файл PEM)</translation>
    </message>
    <message>
        <source>check the server URL: it is the API&apos;s base, such as {example}</source>
        <translation>проверьте URL сервера: это базовый адрес API, например {example}</translation>
    </message>
    <message>
        <source>the profile&apos;s settings do not suit the server {host}</source>
        <translation>настройки профиля не подходят для сервера {host}</translation>
    </message>
    <message>
        <source>the server {host} would have secrets sent unencrypted</source>
        <translation>сервер {host} предлагает передавать секреты без шифрования</translation>
    </message>
    <message>
        <source>the CA file cannot be used with the server {host}</source>
        <translation>файл ЦС нельзя использовать с сервером {host}</translation>
    </message>
    <message>
        <source>the server {host} cannot be reached</source>
        <translation>сервер {host} недоступен</translation>
    </message>
    <message>
        <source>the certificate of the server {host} could not be verified</source>
        <translation>не удалось проверить сертификат сервера {host}</translation>
    </message>
    <message>
        <source>the server {host} did not accept the sign-in</source>
        <translation>сервер {host} не принял данные для входа</translation>
    </message>
    <message>
        <source>the server {host} does not let this sign-in act as an agent</source>
        <translation>сервер {host} не допускает эту учётную запись к работе агентом</translation>
    </message>
    <message>
        <source>the server {host} failed</source>
        <translation>на сервере {host} произошла ошибка</translation>
    </message>
    <message>
        <source>sign in as your agent user, or ask your administrator to make this user a queue agent</source>
        <translation>войдите под своей учётной записью агента или попросите администратора сделать этого пользователя агентом очереди</translation>
    </message>
    <message>
        <source>ask your administrator for the encrypted (wss://) address and give it; only on a trusted network, allow unencrypted connections</source>
        <translation>попросите у администратора зашифрованный адрес (wss://) и укажите его; незашифрованные подключения разрешайте только в доверенной сети</translation>
    </message>
    <message>
        <source>check the user name and password, and the app id and secret</source>
        <translation>проверьте имя пользователя и пароль, а также ID и секрет приложения</translation>
    </message>
    <message>
        <source>check the API key</source>
        <translation>проверьте ключ API</translation>
    </message>
    <message>
        <source>check the account name, user name and password (the password is case-sensitive)</source>
        <translation>проверьте имя учётной записи, имя пользователя и пароль (в пароле важен регистр букв)</translation>
    </message>
    <message>
        <source>if your company runs its own certificate authority, choose its CA file; otherwise tell your administrator, and do not sign in until it is fixed</source>
        <translation>если у вашей компании свой центр сертификации, выберите его файл ЦС; иначе сообщите администратору и не входите, пока это не исправят</translation>
    </message>
    <message>
        <source>check the server URL and your network connection (a VPN, a proxy?)</source>
        <translation>проверьте URL сервера и подключение к сети (VPN, прокси?)</translation>
    </message>
    <message>
        <source>the toolbar cannot listen for the server&apos;s callbacks on {bind} ({reason})</source>
        <translation>панель не может принимать обратные вызовы сервера на {bind} ({reason})</translation>
    </message>
    <message>
        <source>choose another port, or an address of this computer</source>
        <translation>выберите другой порт или адрес этого компьютера</translation>
    </message>
</context>
<context>
    <name>sound</name>
    <message>
        <source>no audio output devices</source>
        <translation>нет устройств вывода звука</translation>
    </message>
    <message>
        <source>the PortAudio library is missing: install libportaudio2</source>
        <translation>не найдена библиотека PortAudio: установите libportaudio2</translation>
    </message>
    <message>
        <source>the sound system could not start: {error}</source>
        <translation>не удалось запустить звуковую систему: {error}</translation>
    </message>
</context>
<context>
    <name>text</name>
    <message>
        <source>Ready</source>
        <translation>Готов</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Не готов</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>Не в системе</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Ожидание</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <source>On a call</source>
        <translation>Разговор</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>Постобработка</translation>
    </message>
    <message>
        <source>On another call</source>
        <translation>Другой звонок</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Вы</translation>
    </message>
    <message>
        <source>You, on the phone</source>
        <translation>Вы, с телефона</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Супервизор</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Переподключение</translation>
    </message>
    <message>
        <source>listening</source>
        <translation>слушает</translation>
    </message>
    <message>
        <source>whispering</source>
        <translation>подсказывает</translation>
    </message>
    <message>
        <source>on the call</source>
        <translation>в разговоре</translation>
    </message>
    <message>
        <source>monitoring</source>
        <translation>наблюдение</translation>
    </message>
    <message>
        <source>all queues paused</source>
        <translation>все очереди на паузе</translation>
    </message>
    <message>
        <source>Away after this call</source>
        <translation>«Не готов» после этого звонка</translation>
    </message>
    <message>
        <source>Away after wrap-up</source>
        <translation>«Не готов» после обработки</translation>
    </message>
    <message>
        <source>{reason} (your note)</source>
        <translation>{reason} (ваша пометка)</translation>
    </message>
    <message>
        <source>{reason}? not confirmed since {time}</source>
        <translation>{reason}? не подтверждено с {time}</translation>
    </message>
    <message>
        <source>{reason}? not confirmed</source>
        <translation>{reason}? не подтверждено</translation>
    </message>
    <message>
        <source>The server could not ring your phone: it is not registered. Start the softphone or plug in the desk phone.</source>
        <translation>Сервер не смог позвонить на ваш телефон: он не зарегистрирован. Запустите софтфон или подключите настольный телефон.</translation>
    </message>
    <message>
        <source>under a minute</source>
        <translation>меньше минуты</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} ч {minutes} мин</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} мин</translation>
    </message>
    <message>
        <source>talking {time}</source>
        <translation>разговор {time}</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>осталось {time}</translation>
    </message>
    <message>
        <source>for {time}</source>
        <translation>уже {time}</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>На связи</translation>
    </message>
    <message>
        <source>stale since {time}</source>
        <translation>не подтверждено с {time}</translation>
    </message>
    <message>
        <source>Connecting, attempt {attempt}</source>
        <translation>Подключение, попытка {attempt}</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Сеанс завершён</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Нет связи</translation>
    </message>
    <message>
        <source>next try in {seconds} s</source>
        <translation>следующая попытка через {seconds} с</translation>
    </message>
    <message>
        <source>Taking calls</source>
        <translation>Принимает звонки</translation>
    </message>
    <message>
        <source>a queue</source>
        <translation>очередь</translation>
    </message>
    <message>
        <source>queue {id}</source>
        <translation>очередь {id}</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>Неизвестный абонент</translation>
    </message>
    <message>
        <source>Ring time is over</source>
        <translation>Время ответа истекло</translation>
    </message>
    <message>
        <source>{time} to answer</source>
        <translation>{time} на ответ</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Переподключение</translation>
    </message>
    <message>
        <source>attempt {attempt}</source>
        <translation>попытка {attempt}</translation>
    </message>
    <message>
        <source>All paused</source>
        <translation>Все на паузе</translation>
    </message>
    <message>
        <source>{paused} of {members} paused</source>
        <translation>{paused} из {members} на паузе</translation>
    </message>
    <message>
        <source>ringing for {time}</source>
        <translation>звонит уже {time}</translation>
    </message>
    <message>
        <source>about {time} left</source>
        <translation>осталось около {time}</translation>
    </message>
    <message>
        <source>at most {time} to answer</source>
        <translation>не больше {time} на ответ</translation>
    </message>
    <message>
        <source>The server does not say how long this queue rings: estimated from how long its last missed calls rang.</source>
        <translation>Сервер не сообщает, сколько звонит эта очередь: оценка по тому, сколько звонили её последние пропущенные звонки.</translation>
    </message>
    <message>
        <source>The server does not say how long this queue rings.</source>
        <translation>Сервер не сообщает, сколько звонит эта очередь.</translation>
    </message>
    <message>
        <source>The call was already ringing when the toolbar connected: it has at most this long left.</source>
        <translation>Звонок уже звонил, когда панель подключилась: осталось не больше этого.</translation>
    </message>
    <message>
        <source>Missing it sets you Away</source>
        <translation>Пропуск звонка переведёт вас в «Не готов»</translation>
    </message>
    <message>
        <source>position {n} in queue</source>
        <translation>место в очереди: {n}</translation>
    </message>
    <message>
        <source>waiting {time}</source>
        <translation>ждёт {time}</translation>
    </message>
    <message>
        <source>Wrap-up: no end given</source>
        <translation>Постобработка: время окончания не задано</translation>
    </message>
    <message>
        <source>Wrap-up is over: waiting for the server</source>
        <translation>Постобработка закончилась: ждём сервер</translation>
    </message>
    <message>
        <source>Wrap-up ends in {seconds} s</source>
        <translation>Постобработка закончится через {seconds} с</translation>
    </message>
    <message>
        <source>{time} of wrap-up left</source>
        <translation>До конца постобработки {time}</translation>
    </message>
    <message>
        <source>You declined a call from {caller} in {queue}.</source>
        <translation>Вы отклонили звонок от {caller} в очереди «{queue}».</translation>
    </message>
    <message>
        <source>You missed a call from {caller} in {queue}.</source>
        <translation>Вы пропустили звонок от {caller} в очереди «{queue}».</translation>
    </message>
    <message>
        <source>The queue set you Away because of it.</source>
        <translation>Поэтому очередь перевела вас в «Не готов».</translation>
    </message>
    <message>
        <source>Declined call</source>
        <translation>Отклонённый звонок</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>Пропущенный звонок</translation>
    </message>
    <message>
        <source>Supervisor {mode}</source>
        <translation>Супервизор {mode}</translation>
    </message>
    <message>
        <source>You are monitoring a call ({mode})</source>
        <translation>Вы наблюдаете за звонком ({mode})</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Away ({reason})</source>
        <translation>Не готов ({reason})</translation>
    </message>
    <message>
        <source>Pause {queue} for {time}</source>
        <translation>Пауза в очереди «{queue}» на {time}</translation>
    </message>
    <message>
        <source>Pause {queue}</source>
        <translation>Пауза в очереди «{queue}»</translation>
    </message>
    <message>
        <source>Resume {queue}</source>
        <translation>Снять паузу в очереди «{queue}»</translation>
    </message>
    <message>
        <source>Extend wrap-up</source>
        <translation>Продлить постобработку</translation>
    </message>
    <message>
        <source>Finish wrap-up</source>
        <translation>Завершить постобработку</translation>
    </message>
    <message>
        <source>Call {number}</source>
        <translation>Звонок на {number}</translation>
    </message>
    <message>
        <source>{change}: answer your phone to place the call…</source>
        <translation>{change}: ответьте на своём телефоне, чтобы звонок пошёл…</translation>
    </message>
    <message>
        <source>{change}: waiting for the server…</source>
        <translation>{change}: ждём ответа сервера…</translation>
    </message>
    <message>
        <source>{change}: done</source>
        <translation>{change}: готово</translation>
    </message>
    <message>
        <source>{change}: replaced by a newer change</source>
        <translation>{change}: заменено более новым изменением</translation>
    </message>
    <message>
        <source>{change}: no answer, it may or may not have been made</source>
        <translation>{change}: нет ответа, изменение могло быть сделано, а могло и нет</translation>
    </message>
    <message>
        <source>{change} failed: {reason}</source>
        <translation>{change} — не удалось: {reason}</translation>
    </message>
    <message>
        <source>{change} after this call</source>
        <translation>{change} после этого звонка</translation>
    </message>
    <message>
        <source>{change} after wrap-up</source>
        <translation>{change} после постобработки</translation>
    </message>
    <message>
        <source>Taking calls when you are Ready</source>
        <translation>Звонки придут, когда вы будете готовы</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>На паузе</translation>
    </message>
    <message>
        <source>Paused until {time}: the toolbar will resume it</source>
        <translation>На паузе до {time}: панель сама снимет паузу</translation>
    </message>
    <message>
        <source>No numbers yet</source>
        <translation>Данных пока нет</translation>
    </message>
    <message>
        <source>{n} in queue</source>
        <translation>в очереди: {n}</translation>
    </message>
    <message>
        <source>longest wait {time}</source>
        <translation>дольше всех ждёт {time}</translation>
    </message>
    <message>
        <source>Calls taken</source>
        <translation>Принято звонков</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Пропущено</translation>
    </message>
    <message>
        <source>Average talk</source>
        <translation>Средний разговор</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>В системе</translation>
    </message>
    <message>
        <source>Phone reachable</source>
        <translation>Телефон доступен</translation>
    </message>
    <message>
        <source>Phone not registered</source>
        <translation>Телефон не зарегистрирован</translation>
    </message>
    <message>
        <source>Paused, resume planned</source>
        <translation>На паузе, снятие запланировано</translation>
    </message>
    <message>
        <source>Planned resume dropped</source>
        <translation>Запланированное снятие паузы отменено</translation>
    </message>
    <message>
        <source>Monitored ({mode})</source>
        <translation>Под наблюдением ({mode})</translation>
    </message>
    <message>
        <source>Monitoring ({mode})</source>
        <translation>Наблюдение ({mode})</translation>
    </message>
    <message>
        <source>No monitoring</source>
        <translation>Без наблюдения</translation>
    </message>
</context>
</TS>
